package ada.carbon.bench;

import ada.carbon.avro.IntensityEvent;
import ada.carbon.core.Grain;
import ada.carbon.schemas.EventKind;
import ada.carbon.schemas.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Phase 4: how long a restatement takes to reach the database. With the pipeline live and caught up,
 * one slot at a time gets an {@code actual} other than the intensity its facts used; the clock runs
 * from the send until every fact of the slot's bucket (all scopes) holds its restated carbon.
 *
 * <p>"Restated" is defined by the pipeline itself, not recomputed here: the database is polled every
 * {@link #POLL} while the change travels, and once the pipeline is caught up again ({@link CatchUp}) the
 * bucket's rows are final; the latency is the first poll that saw them so. A fact whose carbon does not
 * move (its CPU time in the bucket lies only in the other slot) is final from the start, rightly. The
 * bucket's ada fact always has CPU time in the slot, so it must change, which proves the event arrived.
 */
final class RestatementProbe {
    private static final Logger log = LoggerFactory.getLogger(RestatementProbe.class);
    static final Duration POLL = Duration.ofMillis(10);
    /**
     * How often, while polling the facts, the bench asks whether the pipeline has caught up: at random
     * between 100 and 200 ms, so that the checks cannot fall into step with the aggregator's 200 ms commits.
     */
    private static final int CATCH_UP_CHECK_MS = 100;

    private static final long SLOT_MILLIS = 30 * 60 * 1000L;

    /** Latencies of the probes, in nanoseconds, in the order they ran. */
    record Result(List<Long> latencies, int requested) {
        double percentileMillis(double p) {
            List<Long> sorted = latencies.stream().sorted().toList();
            // Nearest rank: with 48 samples p99 is the slowest one.
            int rank = (int) Math.ceil(p / 100.0 * sorted.size());
            return sorted.get(Math.max(0, rank - 1)) / 1e6;
        }
    }

    private RestatementProbe() {}

    static Result measure(
            String bootstrapServers,
            BenchDatabase db,
            Grain grain,
            int count,
            CatchUp catchUp,
            Duration perProbeTimeout)
            throws InterruptedException {
        // The newest slots: within the restatement horizon of every partition, so none is dead-lettered as late.
        List<BenchDatabase.Slot> slots = db.newestSlotsWithCpu(count);
        if (slots.size() < count) {
            throw new IllegalStateException(
                    "only " + slots.size() + " slots have CPU time; the restatement probe needs " + count
                            + " (fewer --restatements or more --days)");
        }
        List<Long> latencies = new ArrayList<>();
        AtomicInteger earlyQuiet = new AtomicInteger();
        try (KafkaProducer<byte[], byte[]> producer =
                new KafkaProducer<>(TunedClients.latencyProducer(bootstrapServers, "ada-carbon-bench-restatement"))) {
            producer.partitionsFor(EventKind.INTENSITY.topic());
            for (int i = 0; i < slots.size(); i++) {
                latencies.add(probe(producer, db, grain, slots.get(i), i, catchUp, perProbeTimeout, earlyQuiet));
            }
        }
        if (earlyQuiet.get() > 0) {
            log.info(
                    "restatement: in {} of {} probes the offsets showed nothing behind before the facts were restated"
                            + " (a transaction's offsets become visible a moment before its records: see CatchUp.STABLE)",
                    earlyQuiet.get(),
                    count);
        }
        Result result = new Result(latencies, count);
        log.info(
                "restatement: {} probes, p50 {} ms, p99 {} ms",
                latencies.size(),
                result.percentileMillis(50),
                result.percentileMillis(99));
        return result;
    }

    private static long probe(
            KafkaProducer<byte[], byte[]> producer,
            BenchDatabase db,
            Grain grain,
            BenchDatabase.Slot slot,
            int i,
            CatchUp catchUp,
            Duration timeout,
            AtomicInteger earlyQuiet)
            throws InterruptedException {
        Instant from = Times.parse(slot.ts());
        String bucket = Times.format(grain.bucketStart(from.toEpochMilli()));
        // Clearly different from whatever was used, and from one probe to the next.
        double actual = Math.round(slot.intensity()) + 41.0 + i;
        IntensityEvent event =
                new IntensityEvent(from, from.plusMillis(SLOT_MILLIS), slot.forecast(), actual, slot.index(), null);
        String adaKey = "ada|-1|-1|";
        Map<String, Double> before = db.bucketCarbon(bucket);
        if (!before.containsKey(adaKey)) {
            throw new IllegalStateException(
                    "bucket " + bucket + " of slot " + slot.ts() + " has no ada fact to restate");
        }

        long sent = System.nanoTime();
        producer.send(new ProducerRecord<>(
                EventKind.INTENSITY.topic(),
                EventKind.INTENSITY.key(event).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                EventKind.INTENSITY.serialize(event)));
        producer.flush();
        long deadline = sent + timeout.toNanos();
        Map<String, Double> seen = before;
        long lastChange = -1;
        long nextCatchUpCheck = System.nanoTime();
        long quietSince = -1;
        boolean early = false;
        while (true) {
            long now = System.nanoTime();
            if (now > deadline) {
                throw new PhaseTimeoutException(
                        "restatement",
                        timeout,
                        "slot " + slot.ts() + " (bucket " + bucket
                                + ") did not settle; its ada fact "
                                + (Objects.equals(seen.get(adaKey), before.get(adaKey))
                                        ? "never changed (dead-lettered as late? see ada.dead-letter)"
                                        : "changed"));
            }
            Map<String, Double> rows = db.bucketCarbon(bucket);
            if (!rows.equals(seen)) {
                seen = rows;
                lastChange = now;
            }
            if (now >= nextCatchUpCheck) {
                nextCatchUpCheck = now + CatchUp.jittered(CATCH_UP_CHECK_MS) * 1_000_000L;
                boolean adaRestated = !Objects.equals(seen.get(adaKey), before.get(adaKey));
                if (!catchUp.nothingBehind()) {
                    quietSince = -1;
                } else if (!adaRestated) {
                    // Nothing behind by the offsets, yet the change has not arrived: a transaction's committed
                    // offsets can show a moment before its records do (CatchUp.STABLE). Keep polling.
                    if (!early) {
                        early = true;
                        earlyQuiet.incrementAndGet();
                        log.debug(
                                "slot {}: {} ms after the send the offsets show nothing behind, but the ada fact"
                                        + " of {} is not restated yet",
                                slot.ts(),
                                (now - sent) / 1_000_000,
                                bucket);
                    }
                    quietSince = -1;
                } else if (quietSince < 0) {
                    quietSince = now;
                } else if (now - quietSince >= CatchUp.STABLE.toNanos()) {
                    // Caught up for a while: the bucket is final. One more read, in case the last change came after our
                    // poll.
                    Map<String, Double> last = db.bucketCarbon(bucket);
                    if (!last.equals(seen)) {
                        lastChange = System.nanoTime();
                    }
                    long latency = lastChange - sent;
                    log.debug("restatement of {}: {} ms", slot.ts(), latency / 1_000_000);
                    return latency;
                }
            }
            Thread.sleep(POLL.toMillis());
        }
    }
}
