package ada.carbon.app.metrics;

import ada.carbon.aggregator.AggregatorService;
import ada.carbon.aggregator.PipelineSensors;
import ada.carbon.ingest.IngestCounts;
import ada.carbon.kafka.KafkaClientProperties;
import ada.carbon.schemas.DeadLetter;
import ada.carbon.schemas.Topics;
import ada.carbon.sink.SinkService;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One service's metrics and the endpoint that serves them. Every meter carries the tag
 * {@code service} (ingest, aggregator, sink). The pipeline's own meters, as Prometheus names them:
 *
 * <ul>
 *   <li>{@code ada_carbon_events_in_total}: inputs read (ingest: events and lines; aggregator: records of
 *       each raw topic, tag {@code topic}; sink: records of the output topics);
 *   <li>{@code ada_carbon_events_out_total}: what came out (ingest: events published; aggregator: records
 *       produced to each output topic, tag {@code topic}; sink: records applied to SQLite);
 *   <li>{@code ada_carbon_events_rejected_total}, tag {@code reason}: ingest by dead-letter reason
 *       ({@code malformed}, {@code invalid}, {@code late}, {@code other}); the aggregator's dead letters as
 *       by reason too ({@code malformed}, {@code invalid}, {@code late}, {@code error}); the sink's
 *       skipped records as {@code reason="skipped"};
 *   <li>{@code ada_carbon_consumer_lag_records}: the aggregator's or sink's consumer group lag;
 *   <li>{@code ada_carbon_newest_fact_timestamp_seconds} (sink): the newest {@code fact_usage.ts};
 *   <li>{@code ada_carbon_sink_batch_commit_seconds_count}/{@code _sum} (sink): SQLite transactions.
 * </ul>
 * The aggregator also exports Kafka Streams' own metrics ({@code kafka_stream_*}, {@code kafka_consumer_*}, ...),
 * and every service the JVM's.
 */
public final class ServiceMetrics implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServiceMetrics.class);

    static final String EVENTS_IN = "ada.carbon.events.in";
    static final String EVENTS_OUT = "ada.carbon.events.out";
    static final String EVENTS_REJECTED = "ada.carbon.events.rejected";
    static final String RESTATEMENTS = "ada.carbon.restatements";
    static final String CONSUMER_LAG = "ada.carbon.consumer.lag";
    static final String NEWEST_FACT = "ada.carbon.newest.fact.timestamp";
    static final String BATCH_COMMIT = "ada.carbon.sink.batch.commit";
    private static final List<String> INGEST_REASONS =
            List.of(DeadLetter.MALFORMED, DeadLetter.INVALID, DeadLetter.LATE);

    private final String service;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<AutoCloseable> resources = Collections.synchronizedList(new ArrayList<>());
    /** What the function meters read: Micrometer holds them weakly, so they are held here. */
    private final List<Object> sources = Collections.synchronizedList(new ArrayList<>());

    private volatile MetricsServer server;
    private volatile StallWatch stall;

    private ServiceMetrics(String service) {
        this.service = service;
        registry.config().commonTags("service", service);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public static ServiceMetrics of(String service) {
        return new ServiceMetrics(service);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** An ingest's publisher counts ({@code EventPublisher::counts}). */
    public ServiceMetrics bindIngest(Supplier<IngestCounts> counts) {
        sources.add(counts);
        counter(EVENTS_IN, "inputs read", counts, c -> c.get().read());
        counter(
                EVENTS_OUT,
                "events the broker acknowledged on their raw topic",
                counts,
                c -> c.get().published());
        for (String reason : INGEST_REASONS) {
            FunctionCounter.builder(EVENTS_REJECTED, counts, c -> c.get().rejected(reason))
                    .description("inputs dead-lettered, by reason")
                    .tag("reason", reason)
                    .register(registry);
        }
        FunctionCounter.builder(EVENTS_REJECTED, counts, c -> {
                    IngestCounts now = c.get();
                    return now.rejectedTotal()
                            - INGEST_REASONS.stream().mapToLong(now::rejected).sum();
                })
                .description("inputs dead-lettered, by reason")
                .tag("reason", "other")
                .register(registry);
        counter(
                "ada.carbon.ingest.send.failures",
                "sends the broker refused",
                counts,
                c -> c.get().failed());
        return this;
    }

    /** The aggregator: its topics' record counts, its group's lag, and Kafka Streams' own metrics. */
    public ServiceMetrics bindAggregator(
            AggregatorService aggregator, String bootstrapServers, KafkaClientProperties client, String applicationId) {
        KafkaStreams streams = aggregator.streams();
        sources.add(streams);
        for (String topic : Topics.RAW) {
            FunctionCounter.builder(EVENTS_IN, streams, s -> topicMetric(s, "records-consumed-total", topic))
                    .description("records read from a raw topic")
                    .tag("topic", topic)
                    .register(registry);
        }
        for (String topic : Topics.Outputs.LIVE.all()) {
            FunctionCounter.builder(EVENTS_OUT, streams, s -> topicMetric(s, "records-produced-total", topic))
                    .description("records produced to an output topic")
                    .tag("topic", topic)
                    .register(registry);
        }
        for (String reason : List.of(DeadLetter.MALFORMED, DeadLetter.INVALID, DeadLetter.LATE, DeadLetter.ERROR)) {
            FunctionCounter.builder(
                            EVENTS_REJECTED,
                            streams,
                            s -> KafkaMetricSum.of(
                                    s::metrics, PipelineSensors.GROUP, "rejected-" + reason + "-total", tags -> true))
                    .description("records dead-lettered, by reason")
                    .tag("reason", reason)
                    .register(registry);
        }
        FunctionCounter.builder(
                        RESTATEMENTS,
                        streams,
                        s -> KafkaMetricSum.of(s::metrics, PipelineSensors.GROUP, "restatement-total", tags -> true))
                .description("host-slot contributions replaced, each recomputing the facts it feeds")
                .register(registry);
        ConsumerGroupLag lag = lag(bootstrapServers, client, applicationId);
        stall = new StallWatch(
                () -> (long) KafkaMetricSum.of(
                        streams::metrics, "stream-topic-metrics", "records-consumed-total", tags -> true),
                lag::records);
        try {
            KafkaStreamsMetrics native_ = new KafkaStreamsMetrics(streams);
            native_.bindTo(registry);
            resources.add(native_);
        } catch (RuntimeException e) {
            log.warn("Kafka Streams' own metrics are not exported: {}", e.toString());
        }
        return this;
    }

    /** The sink: records in and applied, its group's lag, the newest fact and its SQLite transactions. */
    public ServiceMetrics bindSink(
            SinkService sink, Path db, String bootstrapServers, KafkaClientProperties client, String groupId) {
        sources.add(sink);
        counter(EVENTS_IN, "records read from the output topics", sink, s -> s.recordsApplied() + s.recordsSkipped());
        counter(EVENTS_OUT, "records whose effect is committed to SQLite", sink, SinkService::recordsApplied);
        FunctionCounter.builder(EVENTS_REJECTED, sink, SinkService::recordsSkipped)
                .description("records that could not be read or were invalid, skipped")
                .tag("reason", "skipped")
                .register(registry);
        FunctionTimer.builder(
                        BATCH_COMMIT,
                        sink,
                        SinkService::batchesCommitted,
                        SinkService::batchCommitNanos,
                        TimeUnit.NANOSECONDS)
                .description("SQLite transactions of the sink (rows and offsets of one poll)")
                .register(registry);
        NewestFact newest = new NewestFact(db);
        resources.add(newest);
        Gauge.builder(NEWEST_FACT, newest, NewestFact::epochSeconds)
                .baseUnit("seconds")
                .description("the newest fact_usage.ts in the database, as Unix time (NaN while there is none)")
                .register(registry);
        ConsumerGroupLag lag = lag(bootstrapServers, client, groupId);
        stall = new StallWatch(() -> sink.recordsApplied() + sink.recordsSkipped(), lag::records);
        return this;
    }

    /**
     * Why the bound aggregator or sink counts as stalled behind input it is not consuming ({@link StallWatch}),
     * or empty (also when nothing is bound that consumes).
     */
    public java.util.Optional<String> stalled() {
        StallWatch watch = stall;
        return watch == null ? java.util.Optional.empty() : watch.stalled();
    }

    /** Serves /health and /metrics on {@code port} of the loopback interface (0: any free port). */
    public ServiceMetrics serve(int port, Supplier<Health> health) throws IOException {
        return serve(new InetSocketAddress(MetricsServer.DEFAULT_BIND, port), health);
    }

    /** Serves /health and /metrics on {@code address} (port 0: any free port). */
    public ServiceMetrics serve(InetSocketAddress address, Supplier<Health> health) throws IOException {
        server = MetricsServer.start(service, address, registry, health);
        log.info("{}: /health and /metrics on {}", service, server.address());
        return this;
    }

    /** The port served on, once {@link #serve} has run. */
    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        synchronized (resources) {
            for (AutoCloseable r : resources) {
                try {
                    r.close();
                } catch (Exception e) {
                    log.debug("closing {}: {}", r, e.toString());
                }
            }
            resources.clear();
        }
        registry.close();
    }

    private ConsumerGroupLag lag(String bootstrapServers, KafkaClientProperties client, String groupId) {
        ConsumerGroupLag lag = new ConsumerGroupLag(bootstrapServers, client, groupId);
        resources.add(lag);
        Gauge.builder(CONSUMER_LAG, lag, ConsumerGroupLag::records)
                .baseUnit("records")
                .description("records on the consumed partitions after the group's committed offsets")
                .tag("group", groupId)
                .register(registry);
        return lag;
    }

    private <T> void counter(String name, String description, T source, ToDoubleFunction<T> value) {
        FunctionCounter.builder(name, source, value).description(description).register(registry);
    }

    private static double topicMetric(KafkaStreams streams, String name, String topic) {
        return KafkaMetricSum.of(
                streams::metrics, "stream-topic-metrics", name, tags -> topic.equals(tags.get("topic")));
    }
}
