package ada.carbon.stack.broker;

import static ada.carbon.stack.broker.EmbeddedBroker.HOST;

import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.utils.Utils;

/**
 * The files of an embedded broker's data directory that say where it listens and which cluster it holds: the
 * {@code server.properties} written at each start (this package's defaults, the listeners, the builder's
 * overrides) and the {@code meta.properties} Kafka's {@code StorageTool} writes when it formats {@code kafka-logs/}.
 */
final class BrokerDataDir {
    private final Path dir;

    BrokerDataDir(Path dir) {
        this.dir = dir;
    }

    /** The cluster id StorageTool wrote when it formatted the storage; none before the first start. */
    Optional<String> formattedClusterId() throws IOException {
        Path meta = dir.resolve("kafka-logs").resolve("meta.properties");
        return Files.exists(meta)
                ? Optional.of(Utils.loadProps(meta.toString()).getProperty("cluster.id"))
                : Optional.empty();
    }

    /** A loopback port per listener (CONTROLLER too): the last start's if free (clients look there), else any. */
    Map<String, Integer> freePorts(Set<String> listeners) throws IOException {
        Map<String, Integer> previous = lastPorts();
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String listener : listeners) {
            int port = previous.getOrDefault(listener, 0);
            do {
                try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
                    port = ports.containsValue(socket.getLocalPort()) ? 0 : socket.getLocalPort();
                } catch (BindException taken) {
                    port = 0;
                }
            } while (port == 0);
            ports.put(listener, port);
        }
        return ports;
    }

    /** The ports by listener name of the last start's {@code server.properties}; none before the first. */
    Map<String, Integer> lastPorts() throws IOException {
        Path last = dir.resolve("server.properties");
        Map<String, Integer> ports = new LinkedHashMap<>();
        String listeners = Files.exists(last) ? Utils.loadProps(last.toString()).getProperty("listeners", "") : "";
        for (String listener : listeners.split(",")) { // NAME://host:port
            if (!listener.isBlank()) {
                ports.put(listener.substring(0, listener.indexOf(':')), Utils.getPort(listener));
            }
        }
        return ports;
    }

    /** Writes {@code server.properties}: the defaults, the listeners on {@code ports}, then {@code overrides}. */
    Path writeServerProperties(Map<String, Integer> ports, Map<String, String> protocols, Map<String, String> overrides)
            throws IOException {
        Properties p = new Properties();
        try (InputStream defaults = BrokerDataDir.class.getResourceAsStream("server.properties")) {
            p.load(defaults);
        }
        // A static single-voter quorum: the voter's address lives only in this file, so the ports may change
        // from one start to the next.
        p.put("controller.quorum.voters", "1@" + HOST + ":" + ports.get("CONTROLLER"));
        p.put("listeners", listeners(ports, ""));
        p.put("advertised.listeners", listeners(ports, "CONTROLLER"));
        p.put(
                "listener.security.protocol.map",
                protocols.entrySet().stream()
                        .map(e -> e.getKey() + ":" + e.getValue())
                        .collect(Collectors.joining(",")));
        p.put("log.dirs", dir.resolve("kafka-logs").toString());
        p.putAll(overrides);
        Path file = Files.createDirectories(dir).resolve("server.properties");
        try (Writer out = Files.newBufferedWriter(file)) {
            p.store(out, "Written by ada-carbon's EmbeddedBroker at each start");
        }
        return file;
    }

    static String listeners(Map<String, Integer> ports, String except) {
        return ports.entrySet().stream()
                .filter(e -> !e.getKey().equals(except))
                .map(e -> e.getKey() + "://" + HOST + ":" + e.getValue())
                .collect(Collectors.joining(","));
    }
}
