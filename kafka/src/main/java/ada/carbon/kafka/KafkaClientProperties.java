package ada.carbon.kafka;

import ada.carbon.core.ConfigException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * The Kafka client properties of {@code --kafka-config FILE}: how to reach a secured cluster
 * ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}, …), as Kafka's own tools take {@code --command-config}.
 * Every producer, consumer, admin client and Kafka Streams instance a command makes gets them, on top of the
 * pipeline's own settings. So the keys the pipeline's guarantees rest on ({@link #OWNED}) are refused when the
 * file is read, rather than silently overriding them or being silently ignored.
 */
public final class KafkaClientProperties {
    /** No file: plain connections. */
    public static final KafkaClientProperties NONE = new KafkaClientProperties(Map.of(), null);

    /**
     * The keys the pipeline sets itself, and why. Kafka Streams' prefixed forms ({@code producer.acks},
     * {@code main.consumer.isolation.level}, …) are refused with them.
     */
    static final Map<String, String> OWNED = owned();

    private static final List<String> STREAMS_PREFIXES =
            List.of("main.consumer.", "restore.consumer.", "global.consumer.", "consumer.", "producer.", "admin.");
    private static final Pattern JAAS_USER = Pattern.compile("\\b(?:username|principal)\\s*=\\s*\"([^\"]*)\"");

    private final Map<String, String> properties;
    private final Path file;

    private KafkaClientProperties(Map<String, String> properties, Path file) {
        this.properties = Map.copyOf(properties);
        this.file = file;
    }

    /**
     * Reads and checks a client properties file.
     *
     * @throws ConfigException naming the file, and the key when one is refused or has a bad value
     */
    public static KafkaClientProperties load(Path file) {
        Properties read = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            read.load(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException("cannot read the Kafka client properties (--kafka-config) " + file + ": " + e);
        }
        Map<String, String> properties = new TreeMap<>();
        read.stringPropertyNames().forEach(k -> properties.put(k, read.getProperty(k)));
        for (String key : properties.keySet()) {
            String owned = ownedKey(key);
            if (owned != null) {
                throw new ConfigException(file + ": " + key + " cannot be set in --kafka-config: " + OWNED.get(owned));
            }
        }
        // The values of the keys every client shares (security.protocol, sasl.mechanism, ssl.*), checked now,
        // with the file's name, rather than by the first client made from them.
        Map<String, Object> admin = new HashMap<>(properties);
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "checked.separately:9092");
        try {
            AdminClientConfig.configDef().parse(admin);
        } catch (org.apache.kafka.common.config.ConfigException e) {
            throw new ConfigException(file + ": " + e.getMessage());
        }
        return new KafkaClientProperties(properties, file);
    }

    public boolean isEmpty() {
        return properties.isEmpty();
    }

    /** The properties, to lay over a client's own settings (the services' "overrides"). */
    public Map<String, Object> asMap() {
        return new HashMap<>(properties);
    }

    /** {@code settings} with these properties laid over them: a client's whole configuration. */
    public Map<String, Object> over(Map<String, Object> settings) {
        Map<String, Object> all = new HashMap<>(settings);
        all.putAll(properties);
        return all;
    }

    /** Who the cluster sees, for messages: "user ingest (SASL_SSL, SCRAM-SHA-512, from FILE)". */
    public String principal() {
        String protocol = properties.getOrDefault(
                CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, CommonClientConfigs.DEFAULT_SECURITY_PROTOCOL);
        String from = file == null ? "" : ", from " + file;
        if (protocol.startsWith("SASL_")) {
            String mechanism = properties.getOrDefault(SaslConfigs.SASL_MECHANISM, SaslConfigs.DEFAULT_SASL_MECHANISM);
            Matcher user = JAAS_USER.matcher(properties.getOrDefault(SaslConfigs.SASL_JAAS_CONFIG, ""));
            return (user.find() ? "user " + user.group(1) : "the SASL login") + " (" + protocol + ", " + mechanism
                    + from + ")";
        }
        if (protocol.equals("SSL") && properties.containsKey("ssl.keystore.location")) {
            return "the client certificate of " + properties.get("ssl.keystore.location") + " (SSL" + from + ")";
        }
        return "an anonymous client (" + protocol + from + ")";
    }

    /** The key of {@link #OWNED} that {@code key} sets, itself or under a Kafka Streams prefix; null if none. */
    static String ownedKey(String key) {
        if (OWNED.containsKey(key)) {
            return key;
        }
        for (String prefix : STREAMS_PREFIXES) {
            if (key.startsWith(prefix) && OWNED.containsKey(key.substring(prefix.length()))) {
                return key.substring(prefix.length());
            }
        }
        return null;
    }

    @Override
    public String toString() {
        Map<String, String> shown = new LinkedHashMap<>();
        properties.forEach((k, v) -> shown.put(k, k.contains("password") || k.contains("jaas") ? "[hidden]" : v));
        return "KafkaClientProperties" + shown;
    }

    private static Map<String, String> owned() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("bootstrap.servers", "give the cluster with --bootstrap-servers");
        m.put("application.id", "the aggregator's Kafka Streams application id is --application-id");
        m.put("group.id", "each service's consumer group is its own (the sink's is ada-carbon-sink)");
        m.put("transactional.id", "the aggregator's transactions are named by Kafka Streams");
        m.put("processing.guarantee", "the aggregator is exactly_once_v2");
        m.put("isolation.level", "the sink and the pipeline's readers read committed transactions only");
        m.put("enable.auto.commit", "the pipeline commits offsets itself (the sink with its rows)");
        m.put("auto.offset.reset", "the pipeline reads its topics from the beginning");
        m.put("enable.idempotence", "the publisher is idempotent, so a retry never duplicates or reorders");
        m.put("acks", "the publisher waits for acks=all, as idempotence needs");
        m.put("key.serializer", "the pipeline's records are Avro bytes it encodes itself");
        m.put("value.serializer", "the pipeline's records are Avro bytes it encodes itself");
        m.put("key.deserializer", "the pipeline's records are Avro bytes it decodes itself");
        m.put("value.deserializer", "the pipeline's records are Avro bytes it decodes itself");
        m.put("default.key.serde", "the aggregator's serdes are its own");
        m.put("default.value.serde", "the aggregator's serdes are its own");
        m.put("state.dir", "the aggregator's state directory is --state-dir");
        m.put("num.stream.threads", "the accounting is one task on one thread");
        m.put("commit.interval.ms", "how long a change may wait to be written is the pipeline's (LONGEST_UNWRITTEN)");
        m.put("max.task.idle.ms", "the aggregator merges the raw topics by event time");
        m.put("topology.optimization", "the aggregator's topology is its own");
        return Map.copyOf(m);
    }
}
