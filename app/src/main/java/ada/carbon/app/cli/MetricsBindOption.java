package ada.carbon.app.cli;

import ada.carbon.app.metrics.MetricsServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import picocli.CommandLine.Option;

/** {@code --metrics-bind ADDRESS}: the interface a service's /health and /metrics listen on. */
public final class MetricsBindOption {
    @Option(
            names = "--metrics-bind",
            paramLabel = "ADDRESS",
            description = "The address /health and /metrics listen on (default: the loopback address, 127.0.0.1:"
                    + " this machine only; 0.0.0.0: every interface, e.g. inside a container). They have no"
                    + " authentication.")
    InetAddress address = MetricsServer.DEFAULT_BIND;

    InetSocketAddress at(int port) {
        return new InetSocketAddress(address, port);
    }
}
