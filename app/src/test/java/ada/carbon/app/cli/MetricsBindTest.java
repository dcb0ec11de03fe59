package ada.carbon.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ada.carbon.app.Main;
import ada.carbon.app.metrics.Health;
import ada.carbon.app.metrics.MetricsServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * /health and /metrics listen on the loopback interface unless --metrics-bind says otherwise: by default
 * they are not reachable on this machine's other addresses, and with --metrics-bind 0.0.0.0 they are.
 */
class MetricsBindTest {
    private static final HttpClient http = HttpClient.newHttpClient();

    @Test
    void byDefaultOnlyTheLoopbackInterfaceIsServed() throws Exception {
        try (MetricsServer server = serve(bindOf("sink", "--bootstrap-servers", "k:9092", "--db", "x.db"))) {
            assertThat(server.address().getAddress().isLoopbackAddress())
                    .as("bound to %s", server.address())
                    .isTrue();
            assertThat(server.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
            assertThat(health(InetAddress.getLoopbackAddress(), server.port())).isEqualTo(200);
            Optional<InetAddress> other = nonLoopbackAddress();
            System.out.println("[metrics-bind] this machine's non-loopback address: " + other);
            if (other.isPresent()) {
                assertThatThrownBy(() -> connect(other.get(), server.port())).isInstanceOf(ConnectException.class);
            }
        }
    }

    @Test
    void metricsBindChangesIt() throws Exception {
        try (MetricsServer server =
                serve(bindOf("aggregate", "--bootstrap-servers", "k:9092", "--metrics-bind", "0.0.0.0"))) {
            assertThat(server.address().getAddress().isAnyLocalAddress())
                    .as("bound to %s", server.address())
                    .isTrue();
            assertThat(health(InetAddress.getLoopbackAddress(), server.port())).isEqualTo(200);
            Optional<InetAddress> other = nonLoopbackAddress();
            if (other.isPresent()) {
                assertThat(health(other.get(), server.port())).isEqualTo(200);
            }
        }
    }

    @Test
    void everyCommandWithAMetricsPortTakesAMetricsBind() {
        List<String> withPort = new ArrayList<>();
        walk(Main.commandLine(), command -> {
            if (command.getCommandSpec().findOption("--metrics-port") != null) {
                withPort.add(command.getCommandName());
                assertThat(command.getCommandSpec().findOption("--metrics-bind"))
                        .as(command.getCommandName())
                        .isNotNull();
            }
        });
        assertThat(withPort).contains("aggregate", "sink", "file", "simulate");
        assertThatThrownBy(() -> Main.commandLine()
                        .parseArgs(
                                "sink",
                                "--bootstrap-servers",
                                "k:9092",
                                "--db",
                                "x.db",
                                "--metrics-bind",
                                "no such host.invalid"))
                .hasMessageContaining("--metrics-bind");
    }

    /** The --metrics-bind of the command {@code args} runs. */
    private static MetricsBindOption bindOf(String... args) {
        CommandLine.ParseResult result = Main.commandLine().parseArgs(args);
        while (result.hasSubcommand()) {
            result = result.subcommand();
        }
        return result.commandSpec().mixins().values().stream()
                .map(CommandSpec::userObject)
                .filter(MetricsBindOption.class::isInstance)
                .map(MetricsBindOption.class::cast)
                .findFirst()
                .orElseThrow();
    }

    private static MetricsServer serve(MetricsBindOption bind) throws IOException {
        return MetricsServer.start(
                "test", bind.at(0), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), () -> Health.up("testing"));
    }

    private static int health(InetAddress address, int port) throws Exception {
        String host = address.getHostAddress().contains(":")
                ? "[" + address.getHostAddress() + "]"
                : address.getHostAddress();
        return http.send(
                        HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/health"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static void connect(InetAddress address, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2000);
        }
    }

    /** An IPv4 address of an interface of this machine that is up and not loopback, if there is one. */
    private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
                        return Optional.of(a);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static void walk(CommandLine command, java.util.function.Consumer<CommandLine> visit) {
        visit.accept(command);
        command.getSubcommands().values().forEach(sub -> walk(sub, visit));
    }
}
