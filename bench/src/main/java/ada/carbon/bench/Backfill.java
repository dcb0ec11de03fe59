package ada.carbon.bench;

import ada.carbon.aggregator.AggregatorSettings;
import ada.carbon.schemas.EventKind;
import ada.carbon.stack.broker.ChildJvm;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Phase 6, the backfill: the workload already on the broker, as {@code reprocess} and an aggregator restarted
 * after a while meet it, under one configuration of partitions, threads and instances. The whole workload is
 * published (all acknowledged) to raw topics of the configuration's partitions, the sink is started and
 * polling, and then the aggregator's instances are started: the clock runs from their start until the
 * database is complete ({@link CatchUp}). Then each instance's peak RSS and live heap, the CPU time of every
 * process of the pipeline (broker, aggregators, sink) within that window, and the database's figures.
 */
final class Backfill {
    private static final Logger log = LoggerFactory.getLogger(Backfill.class);

    /** One configuration: {@code threads} stream threads in each of {@code instances} aggregator JVMs. */
    record Setup(String label, int partitions, int threads, int instances) {
        String describe() {
            return "(" + label + ") " + plural(partitions, "partition") + ", "
                    + (instances == 1
                            ? plural(threads, "thread")
                            : instances + " instances of " + plural(threads, "thread"));
        }

        private static String plural(int n, String what) {
            return n + " " + what + (n == 1 ? "" : "s");
        }
    }

    /** One aggregator instance: its peak RSS (kB), its live heap (bytes) once complete, its CPU time (s). */
    record Instance(OptionalLong peakRssKb, OptionalLong liveHeapBytes, double cpuSeconds) {}

    /**
     * @param group      the aggregator's group as the broker described it once complete: what actually ran
     * @param cpuSeconds of the broker, the sink and every aggregator instance, within the measured window
     * @param lateEvents dead-lettered as late, by the instances' own count: none, if a backfill is read as it happened
     */
    record Result(
            Setup setup,
            Rate events,
            AggregatorGroup group,
            List<Instance> aggregators,
            double cpuSeconds,
            double lateEvents,
            BenchDatabase.Figures figures,
            Path db) {
        double cpuSecondsPerMillionEvents() {
            return cpuSeconds / events.count() * 1e6;
        }

        double aggregatorCpuSeconds() {
            return aggregators.stream().mapToDouble(Instance::cpuSeconds).sum();
        }
    }

    private Backfill() {}

    /**
     * @param bootstrapServers a fresh broker whose topics have {@code setup.partitions()} partitions, nothing on them
     * @param brokerPid        its process, whose CPU time counts
     * @param running          set to the services while they run, for the bench's shutdown hook
     */
    static Result measure(
            String bootstrapServers,
            Admin admin,
            OptionalLong brokerPid,
            Workload workload,
            Setup setup,
            Path dir,
            AtomicReference<PipelineServices> running,
            Duration startTimeout,
            Duration timeout)
            throws IOException, InterruptedException, ExecutionException {
        String phase = "backfill " + setup.describe();
        BulkProducer.Sent sent =
                BulkProducer.send(bootstrapServers, "ada-carbon-bench-backfill", workload, EventKind::topic);
        log.info(
                "{}: {} events on the broker ({}); starting the sink",
                phase,
                sent.events(),
                sent.rate().describe("events"));
        try (PeakRss rss = new PeakRss();
                PipelineServices services = PipelineServices.startSink(bootstrapServers, dir, setup.partitions())) {
            running.set(services);
            services.awaitSinkPolling(admin, startTimeout);
            double brokerCpuBefore = brokerPid.isPresent() ? ProcessCpu.seconds(brokerPid.getAsLong()) : Double.NaN;
            double sinkCpuBefore = ProcessCpu.seconds(services.sink().pid());

            log.info("{}: starting {} aggregator instance(s); the clock runs", phase, setup.instances());
            long started = System.nanoTime();
            for (int i = 0; i < setup.instances(); i++) {
                ChildJvm aggregator = services.startAggregator(setup.threads());
                rss.watch(aggregator.name(), aggregator.pid());
            }
            try (BenchDatabase db = BenchDatabase.open(services.db())) {
                long done = services.catchUp(admin, db).await(phase, timeout, Duration.ofMillis(100));
                Rate events = Rate.between(workload.size(), started, done);
                // Before anything else runs in them: the full collections below take CPU and may touch memory.
                Map<String, OptionalLong> peaks = rss.peaksKb();
                double cpuSeconds = (brokerPid.isPresent() ? ProcessCpu.seconds(brokerPid.getAsLong()) : Double.NaN)
                        - brokerCpuBefore
                        + ProcessCpu.seconds(services.sink().pid())
                        - sinkCpuBefore;
                List<ChildJvm> aggregators = services.aggregators();
                double[] aggregatorCpu = aggregators.stream()
                        .mapToDouble(a -> ProcessCpu.seconds(a.pid()))
                        .toArray();
                List<Instance> instances = new ArrayList<>();
                for (int i = 0; i < aggregators.size(); i++) {
                    ChildJvm aggregator = aggregators.get(i);
                    instances.add(new Instance(
                            peaks.getOrDefault(aggregator.name(), OptionalLong.empty()),
                            LiveHeap.bytes(aggregator.pid(), dir.resolve(aggregator.name() + "-class-histogram.txt")),
                            aggregatorCpu[i]));
                    cpuSeconds += aggregatorCpu[i];
                }
                AggregatorGroup group =
                        AggregatorGroup.describe(admin, AggregatorSettings.DEFAULT_APPLICATION_ID, startTimeout);
                Result result = new Result(
                        setup,
                        events,
                        group,
                        List.copyOf(instances),
                        cpuSeconds,
                        Bench.lateEvents(services.aggregatorMetrics()),
                        db.figures(),
                        services.db());
                log.info(
                        "{}: {}; threads {}, host tasks {}; {} CPU-s per million events",
                        phase,
                        events.describe("events"),
                        group.threads(),
                        group.hostTasks(),
                        String.format(java.util.Locale.ROOT, "%.1f", result.cpuSecondsPerMillionEvents()));
                return result;
            }
        } finally {
            running.set(null);
        }
    }
}
