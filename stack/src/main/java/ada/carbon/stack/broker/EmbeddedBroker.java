package ada.carbon.stack.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka broker (KRaft, one node both broker and controller): Kafka's own {@code kafka.Kafka}, run by
 * {@link BrokerChildMain} in a child JVM, with all its state in one data directory: {@code server.properties} (written
 * at each start from this package's {@code server.properties}, on free loopback ports), {@code kafka-logs/} (formatted
 * by Kafka's {@code StorageTool} on the first start), {@code broker.log} and {@code broker.out} (its stdout and
 * stderr). {@link #start} reuses the broker of the last {@code server.properties} if it answers there as this
 * directory's cluster, and otherwise starts one, on the same ports where they are free. The instance that started it
 * stops it on {@link #close()} or at JVM exit, and the child stops by itself when this JVM dies, even killed; one that
 * reuses it leaves it to its owner. The data survives any stop, SIGKILL too: Kafka recovers its logs on restart.
 */
public final class EmbeddedBroker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedBroker.class);
    static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dataDir;
    private final Map<String, Integer> ports; // of its listeners but the controller's, by listener name
    private final ChildJvm child; // null when this instance reuses a broker started by another
    private Thread shutdownHook;
    private boolean closed;

    private EmbeddedBroker(Path dataDir, Map<String, Integer> ports, ChildJvm child) {
        this.dataDir = dataDir;
        this.ports = Map.copyOf(ports);
        this.child = child;
        if (child != null) {
            shutdownHook = new Thread(this::close, "ada-carbon-broker-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /** Starts (or reuses) the broker of {@code dataDir} with the default settings. */
    public static EmbeddedBroker start(Path dataDir) {
        return builder(dataDir).start();
    }

    /** A builder for a broker keeping its state in {@code dataDir}. */
    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    /** {@code 127.0.0.1:<port>} of the PLAINTEXT listener. */
    public String bootstrapServers() {
        return bootstrapServers("PLAINTEXT");
    }

    /** {@code 127.0.0.1:<port>} of a listener added with {@link Builder#listener}. */
    public String bootstrapServers(String listener) {
        Integer port = ports.get(listener);
        if (port == null) {
            throw new IllegalArgumentException(
                    "The Kafka broker of " + dataDir + " has no listener " + listener + "; it has " + ports.keySet());
        }
        return HOST + ":" + port;
    }

    /** A new admin client of the PLAINTEXT listener; the caller closes it. */
    public Admin createAdmin() {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers(),
                AdminClientConfig.CLIENT_ID_CONFIG,
                "ada-carbon-embedded-broker-admin"));
    }

    /** The broker's process id, if this instance started it. */
    public OptionalLong pid() {
        return child == null ? OptionalLong.empty() : OptionalLong.of(child.pid());
    }

    /**
     * Hands this broker's stop at JVM exit to the owner of the clients that use it: {@code onExit} runs instead of
     * the broker's own hook and must close this broker last, after the clients, so that they can finish cleanly.
     * Does nothing for a broker this instance reuses.
     */
    public synchronized void replaceShutdownHook(Runnable onExit) {
        if (child != null && !closed) {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
            shutdownHook = new Thread(onExit, "ada-carbon-stack-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
    }

    /** Stops the broker if this instance started it (SIGTERM, SIGKILL after 20 s); idempotent. */
    @Override
    public void close() {
        synchronized (this) {
            if (child == null || closed) {
                return;
            }
            closed = true;
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // this runs in a shutdown hook
            }
        }
        child.close();
        log.info("Stopped the Kafka broker {} of {}", bootstrapServers(), dataDir);
    }

    /** Settings of an {@link EmbeddedBroker}; {@link #start()} starts it. */
    public static final class Builder {
        private final Path dataDir;
        private final BrokerDataDir files;
        private final Map<String, String> brokerProperties = new LinkedHashMap<>();
        /** Security protocols by listener name, PLAINTEXT and CONTROLLER first. */
        private final Map<String, String> listeners = new LinkedHashMap<>();

        private final List<String> scramCredentials = new ArrayList<>();

        private Builder(Path dataDir) {
            this.dataDir = dataDir.toAbsolutePath().normalize();
            this.files = new BrokerDataDir(this.dataDir);
            listeners.put("PLAINTEXT", "PLAINTEXT");
            listeners.put("CONTROLLER", "PLAINTEXT");
        }

        /** Sets or overrides a property of {@code server.properties} (e.g. {@code num.partitions}). */
        public Builder brokerProperty(String key, String value) {
            brokerProperties.put(key, value);
            return this;
        }

        /**
         * Another listener beside PLAINTEXT, which stays, on a loopback port of its own: {@code securityProtocol} is
         * e.g. {@code SASL_SSL}, its settings are broker properties ({@code listener.name.<name>.ssl.keystore...}).
         */
        public Builder listener(String name, String securityProtocol) {
            listeners.put(name, securityProtocol);
            return this;
        }

        /**
         * A SCRAM credential ({@code mechanism} e.g. {@code SCRAM-SHA-512}) written into the cluster's metadata when
         * the storage is formatted, on the first start only: the {@code --add-scram} of Kafka's storage tool.
         */
        public Builder scramCredential(String mechanism, String user, String password) {
            scramCredentials.add(mechanism + "=[name=" + user + ",password=" + password + "]");
            return this;
        }

        /**
         * Reuses the broker running for the data directory, or starts one and waits until it answers; if it dies or
         * does not answer (a bad configuration, say), throws an {@code IllegalStateException} with its log's end.
         */
        public EmbeddedBroker start() {
            try {
                Optional<EmbeddedBroker> running = running();
                return running.isPresent() ? running.get() : startNew();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot start the Kafka broker of " + dataDir, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while starting the Kafka broker of " + dataDir, e);
            }
        }

        private EmbeddedBroker startNew() throws IOException, InterruptedException {
            Map<String, Integer> ports = files.freePorts(listeners.keySet());
            List<String> args = new ArrayList<>(List.of(
                    files.writeServerProperties(ports, listeners, brokerProperties)
                            .toString(),
                    files.formattedClusterId().orElse(Uuid.randomUuid().toString())));
            args.addAll(scramCredentials);
            ChildJvm child = ChildJvm.start(
                    "Kafka broker",
                    List.of(
                            "-Xmx512m",
                            "-XX:+ExitOnOutOfMemoryError",
                            "-Dada.carbon.broker.dataDir=" + dataDir, // for broker-logback.xml
                            "-Dlogback.configurationFile=ada/carbon/stack/broker/broker-logback.xml"),
                    BrokerChildMain.class.getName(),
                    args,
                    dataDir.resolve("broker.out"));
            ports.remove("CONTROLLER");
            try {
                awaitReady(child, ports.get("PLAINTEXT"));
            } catch (InterruptedException | RuntimeException e) {
                child.close();
                throw e;
            }
            log.info("Started the Kafka broker {} (pid {}) of {}", ports, child.pid(), dataDir);
            return new EmbeddedBroker(dataDir, ports, child);
        }

        /** The broker of the last {@code server.properties}, if it answers there as this directory's cluster. */
        private Optional<EmbeddedBroker> running() throws IOException, InterruptedException {
            Map<String, Integer> ports = files.lastPorts();
            ports.remove("CONTROLLER");
            Optional<String> ours = files.formattedClusterId();
            if (ours.isPresent()
                    && clusterIdAt(ports.getOrDefault("PLAINTEXT", 0), Duration.ofSeconds(5))
                            .equals(ours)) {
                log.info("Reusing the running Kafka broker {} of {}", ports, dataDir);
                return Optional.of(new EmbeddedBroker(dataDir, ports, null));
            }
            return Optional.empty();
        }

        private void awaitReady(ChildJvm child, int port) throws InterruptedException {
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (clusterIdAt(port, Duration.ofSeconds(2)).isEmpty()) {
                if (child.awaitExit(Duration.ofMillis(200)).isPresent() || System.nanoTime() > deadline) {
                    throw new IllegalStateException("The Kafka broker of " + dataDir + " did not start: "
                            + (child.isAlive()
                                    ? "it did not answer on port " + port + " within " + START_TIMEOUT.toSeconds()
                                            + " s"
                                    : child.problem())
                            + "\nThe end of its broker.log:\n"
                            + ChildJvm.tail(dataDir.resolve("broker.log"), 40));
                }
            }
        }
    }

    /** The id of the cluster whose broker answers on {@code port}, if one does within {@code timeout}. */
    private static Optional<String> clusterIdAt(int port, Duration timeout) throws InterruptedException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 500); // fails at once if nothing listens
        } catch (IOException e) {
            return Optional.empty();
        }
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                HOST + ":" + port,
                AdminClientConfig.CLIENT_ID_CONFIG,
                "ada-carbon-embedded-broker-probe"))) {
            return Optional.ofNullable(
                    admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                            .clusterId()
                            .get());
        } catch (ExecutionException e) {
            return Optional.empty();
        }
    }
}
