package ada.carbon.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import ada.carbon.aggregator.AggregatorSettings;
import ada.carbon.app.Main;
import ada.carbon.app.e2e.LoadEndToEndTest.Figures;
import ada.carbon.schemas.Topics;
import ada.carbon.sink.SinkService;
import ada.carbon.stack.Quiescence;
import ada.carbon.stack.broker.ChildJvm;
import ada.carbon.stack.broker.EmbeddedBroker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The services on a secured cluster, each as it is deployed (its own command, its own JVM where it runs
 * until stopped) and as its own SCRAM user with the ACLs the README lists for it and no more: the broker
 * has a SASL_SSL listener (SCRAM-SHA-512 over TLS, with a CA and a broker certificate made here) and
 * KRaft's StandardAuthorizer. {@code e2e/events.jsonl} published by {@code ingest file}, aggregated and
 * sunk by {@code aggregate} and {@code sink}, gives the hand-worked figures of {@link LoadEndToEndTest}.
 * A wrong password and a missing ACL each fail the start at once, saying which.
 *
 * <p>The broker's PLAINTEXT listener stays, for the test's own super-user admin client (ACLs, progress).
 */
class SecureClusterTest {
    static final String LISTENER = "SECURE";
    static final String MECHANISM = "SCRAM-SHA-512";
    static final String AGGREGATOR = AggregatorSettings.DEFAULT_APPLICATION_ID;
    static final String SINK_GROUP = SinkService.DEFAULT_GROUP_ID;
    static final Duration START_FAILS_WITHIN = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void eachServiceRunsAsItsOwnUserWithItsOwnAcls() throws Exception {
        TestCertificates certificates = TestCertificates.make(Files.createDirectories(dir.resolve("tls")));
        EmbeddedBroker.Builder builder = EmbeddedBroker.builder(dir.resolve("broker"))
                .listener(LISTENER, "SASL_SSL")
                .brokerProperty("listener.name.secure.sasl.enabled.mechanisms", MECHANISM)
                .brokerProperty(
                        "listener.name.secure.scram-sha-512.sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;")
                .brokerProperty("listener.name.secure.ssl.keystore.type", "PKCS12")
                .brokerProperty(
                        "listener.name.secure.ssl.keystore.location",
                        certificates.brokerKeystore().toString())
                .brokerProperty("listener.name.secure.ssl.keystore.password", certificates.password())
                .brokerProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer")
                // PLAINTEXT and CONTROLLER (the broker itself, and this test) are anonymous: super users.
                .brokerProperty("super.users", "User:ANONYMOUS");
        for (String user : List.of("ingest", "aggregator", "sink", "auditor")) {
            builder.scramCredential(MECHANISM, user, password(user));
        }
        try (EmbeddedBroker broker = builder.start();
                Admin root = broker.createAdmin()) {
            String secure = broker.bootstrapServers(LISTENER);
            grant(root, readmeAcls());
            Path events = E2e.resource(ReferenceLoad.EVENTS);
            Path db = dir.resolve("secure.db");

            E2e.CliRun ingest = E2e.cli(
                    "ingest",
                    "file",
                    "--bootstrap-servers",
                    secure,
                    "--kafka-config",
                    clientConfig(certificates, "ingest", password("ingest")),
                    "--metrics-port",
                    0,
                    events);
            assertThat(ingest.exitCode())
                    .as("ingest file; stderr:\n%s", ingest.stderr())
                    .isZero();
            assertThat(ingest.stdout()).contains("read=36, published=31, rejected={invalid=2, malformed=3}");

            int aggregatorMetrics = freePort();
            try (ChildJvm aggregator = ChildJvm.start(
                            "aggregator",
                            List.of("-Xmx512m"),
                            Main.class.getName(),
                            List.of(
                                    "aggregate",
                                    "--bootstrap-servers",
                                    secure,
                                    "--kafka-config",
                                    clientConfig(certificates, "aggregator", password("aggregator"))
                                            .toString(),
                                    "--state-dir",
                                    dir.resolve("streams").toString(),
                                    "--metrics-port",
                                    Integer.toString(aggregatorMetrics)),
                            dir.resolve("aggregator.log"));
                    ChildJvm sink = ChildJvm.start(
                            "sink",
                            List.of("-Xmx256m"),
                            Main.class.getName(),
                            List.of(
                                    "sink",
                                    "--bootstrap-servers",
                                    secure,
                                    "--kafka-config",
                                    clientConfig(certificates, "sink", password("sink"))
                                            .toString(),
                                    "--db",
                                    db.toString(),
                                    "--metrics-port",
                                    "0"),
                            dir.resolve("sink.log"))) {
                new Quiescence(root, AGGREGATOR, Topics.RAW, Topics.OUTPUT, () -> sinkPositions(db))
                        .await(Duration.ofSeconds(90), () -> {
                            assertThat(aggregator.problem()).isNull();
                            assertThat(sink.problem()).isNull();
                            return true;
                        });
                // The lag read through the aggregator's own admin client, which connects with its credentials too.
                assertThat(awaitLag(aggregatorMetrics)).isZero();

                // A service whose work dies for good exits 1, rather than living on behind its port: take the
                // sink's Read on a topic it consumes away, and the aggregator's on the raw topics.
                revoke(root, allow("sink", ResourceType.TOPIC, Topics.FACTS, PatternType.LITERAL, AclOperation.READ));
                revoke(
                        root,
                        allow("aggregator", ResourceType.TOPIC, "ada.raw.", PatternType.PREFIXED, AclOperation.READ));
                assertThat(sink.awaitExit(Duration.ofSeconds(60)))
                        .as("the sink's exit; its log:\n%s", ChildJvm.tail(dir.resolve("sink.log"), 40))
                        .hasValue(1);
                assertThat(aggregator.awaitExit(Duration.ofMinutes(3)))
                        .as("the aggregator's exit; its log:\n%s", ChildJvm.tail(dir.resolve("aggregator.log"), 40))
                        .hasValue(1);
                grant(root, readmeAcls());
            }
            List<Map<String, Object>> ada = E2e.query(db, "SELECT * FROM v_ada_timeseries ORDER BY ts");
            assertThat(ada)
                    .extracting(r -> r.get("ts"))
                    .containsExactly(
                            LoadEndToEndTest.ts("10:00"), LoadEndToEndTest.ts("11:00"), LoadEndToEndTest.ts("12:00"));
            LoadEndToEndTest.assertRow(
                    ada.get(0), new Figures(6900, 16800, 0.023, 16800 / 3.6e6, 4.67, 0.935), "10:00");
            LoadEndToEndTest.assertRow(
                    ada.get(1), new Figures(9400, 11800, 9400 * 12 / 3.6e6, 11800 / 3.6e6, 67.0 / 12, 0.5625), "11:00");
            LoadEndToEndTest.assertRow(
                    ada.get(2), new Figures(8700, 5700, 0.029, 5700 / 3.6e6, 3.05, 1.0 / 12 + 0.0825), "12:00");
            assertThat(E2e.query(db, "SELECT DISTINCT user_id FROM v_user_timeseries ORDER BY user_id"))
                    .extracting(r -> r.get("user_id"))
                    .containsExactly(
                            LoadEndToEndTest.ALICE,
                            LoadEndToEndTest.BOB,
                            LoadEndToEndTest.CAROL,
                            LoadEndToEndTest.DAVE);
            assertThat(DeadLetterTopic.readAll(broker.bootstrapServers())).hasSize(5);

            // A wrong password: the start fails at once, for that user.
            E2e.CliRun wrongPassword = startFails(
                    "sink",
                    "--bootstrap-servers",
                    secure,
                    "--kafka-config",
                    clientConfig(certificates, "sink", "not-the-password"),
                    "--db",
                    dir.resolve("other.db"));
            assertThat(wrongPassword.stderr()).contains("authentication failed for user sink (SASL_SSL, SCRAM-SHA-512");

            // A missing ACL: the auditor may read the output topics but has no group; the sink user is no aggregator.
            E2e.CliRun noGroup = startFails(
                    "sink",
                    "--bootstrap-servers",
                    secure,
                    "--kafka-config",
                    clientConfig(certificates, "auditor", password("auditor")),
                    "--db",
                    dir.resolve("other.db"));
            assertThat(noGroup.stderr())
                    .contains("user auditor (SASL_SSL, SCRAM-SHA-512")
                    .contains("READ group ada-carbon-sink", "WRITE topic ada.dead-letter")
                    .doesNotContain("topic ada.facts");
            E2e.CliRun notAggregator = startFails(
                    "aggregate",
                    "--bootstrap-servers",
                    secure,
                    "--kafka-config",
                    clientConfig(certificates, "sink", password("sink")),
                    "--state-dir",
                    dir.resolve("other-streams"));
            assertThat(notAggregator.stderr())
                    .contains("user sink (SASL_SSL, SCRAM-SHA-512")
                    .contains(
                            "not authorized to READ topic ada.raw.cpu",
                            "WRITE topic ada.facts",
                            "READ group ada-carbon-aggregator",
                            "WRITE transactional ids prefixed ada-carbon-aggregator",
                            "CREATE topics prefixed ada-carbon-aggregator");
        }
    }

    /** The ACLs of the README's "Secured clusters", per service, and an auditor who may only read the outputs. */
    static List<AclBinding> readmeAcls() {
        List<AclBinding> acls = new ArrayList<>();
        // ingest: writes the raw topics and dead letters, and creates them when missing
        for (AclOperation op : List.of(AclOperation.WRITE, AclOperation.CREATE)) {
            acls.add(allow("ingest", ResourceType.TOPIC, "ada.raw.", PatternType.PREFIXED, op));
            acls.add(allow("ingest", ResourceType.TOPIC, Topics.DEAD_LETTER, PatternType.LITERAL, op));
        }
        // aggregator: reads the raw topics, writes the outputs and dead letters, and owns what its application id
        // prefixes: its state topics, its group, its transactions
        acls.add(allow("aggregator", ResourceType.TOPIC, "ada.raw.", PatternType.PREFIXED, AclOperation.READ));
        acls.add(allow("aggregator", ResourceType.TOPIC, "ada.raw.", PatternType.PREFIXED, AclOperation.CREATE));
        for (String topic : outputsAndDeadLetters()) {
            acls.add(allow("aggregator", ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE));
            acls.add(allow("aggregator", ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.CREATE));
        }
        acls.add(allow("aggregator", ResourceType.TOPIC, AGGREGATOR, PatternType.PREFIXED, AclOperation.ALL));
        acls.add(allow("aggregator", ResourceType.GROUP, AGGREGATOR, PatternType.LITERAL, AclOperation.READ));
        acls.add(allow(
                "aggregator", ResourceType.TRANSACTIONAL_ID, AGGREGATOR, PatternType.PREFIXED, AclOperation.WRITE));
        // sink: reads the outputs in its group
        for (String topic : Topics.OUTPUT) {
            acls.add(allow("sink", ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ));
            acls.add(allow("sink", ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.CREATE));
            acls.add(allow("auditor", ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ));
        }
        acls.add(allow("sink", ResourceType.GROUP, SINK_GROUP, PatternType.LITERAL, AclOperation.READ));
        // ... and dead-letters the records it cannot apply
        acls.add(allow("sink", ResourceType.TOPIC, Topics.DEAD_LETTER, PatternType.LITERAL, AclOperation.WRITE));
        acls.add(allow("sink", ResourceType.TOPIC, Topics.DEAD_LETTER, PatternType.LITERAL, AclOperation.CREATE));
        return acls;
    }

    private static List<String> outputsAndDeadLetters() {
        List<String> topics = new ArrayList<>(Topics.OUTPUT);
        topics.add(Topics.DEAD_LETTER);
        return topics;
    }

    private static AclBinding allow(String user, ResourceType type, String name, PatternType pattern, AclOperation op) {
        return new AclBinding(
                new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + user, "*", op, AclPermissionType.ALLOW));
    }

    /** Creates the ACLs and waits until the broker's authorizer has them (they travel through the metadata log). */
    private static void grant(Admin root, List<AclBinding> acls) throws Exception {
        root.createAcls(acls).all().get();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (root.describeAcls(AclBindingFilter.ANY).values().get().size() < acls.size()) {
            assertThat(System.nanoTime())
                    .as("the broker's authorizer has the ACLs")
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private static void revoke(Admin root, AclBinding acl) throws Exception {
        root.deleteAcls(List.of(acl.toFilter())).all().get();
    }

    private static String password(String user) {
        return user + "-secret";
    }

    /** A user's --kafka-config: SCRAM over TLS, trusting the test's CA. */
    private Path clientConfig(TestCertificates certificates, String user, String password) throws IOException {
        Path file = dir.resolve(user + "-" + password + ".properties");
        Files.writeString(
                file,
                String.join(
                                "\n",
                                "security.protocol=SASL_SSL",
                                "sasl.mechanism=" + MECHANISM,
                                "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
                                        + user + "\" password=\"" + password + "\";",
                                "ssl.truststore.type=PEM",
                                "ssl.truststore.location=" + certificates.caCertificate())
                        + "\n");
        return file;
    }

    /** Runs a command that must fail at start (exit 1), not hang. */
    private static E2e.CliRun startFails(Object... args) {
        E2e.CliRun run = assertTimeoutPreemptively(START_FAILS_WITHIN, () -> E2e.cli(args));
        assertThat(run.exitCode())
                .as("exit code of %s; stderr:\n%s", args[0], run.stderr())
                .isEqualTo(1);
        System.out.println("[secure] " + args[0] + " failed at start: "
                + run.stderr().lines().filter(l -> l.startsWith("ada-carbon: ")).toList());
        return run;
    }

    private static Map<TopicPartition, Long> sinkPositions(Path db) {
        Map<TopicPartition, Long> positions = new HashMap<>();
        if (Files.exists(db)) {
            try {
                for (var row : E2e.query(db, "SELECT topic, \"partition\", next_offset FROM sink_offset")) {
                    positions.put(
                            new TopicPartition((String) row.get("topic"), ((Number) row.get("partition")).intValue()),
                            ((Number) row.get("next_offset")).longValue());
                }
            } catch (IllegalStateException schemaNotYetCreated) {
                // the sink is still creating its tables
            }
        }
        return positions;
    }

    /** The aggregator's ada_carbon_consumer_lag_records, once it is a number (NaN until its admin client answers). */
    private static double awaitLag(int port) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        Pattern lag = Pattern.compile("(?m)^ada_carbon_consumer_lag_records\\{[^}]*\\}\\s+(\\S+)$");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = http.send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            Matcher m = lag.matcher(last);
            if (m.find() && !m.group(1).equals("NaN")) {
                return Double.parseDouble(m.group(1));
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the aggregator's lag stayed unknown:\n"
                + last.lines()
                        .filter(l -> l.startsWith("ada_carbon_consumer_lag"))
                        .toList());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
