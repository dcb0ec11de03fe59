package ada.carbon.app.cli;

import ada.carbon.report.serve.CarbonServer;
import ada.carbon.report.serve.PipelineLag;
import ada.carbon.report.serve.TokenFile;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Serve a database read-only over HTTP: the JSON API (described at /openapi.json) and the live"
                + " dashboard at /, until stopped. With --tokens, each bearer token sees what its role may; without,"
                + " every caller is an operator and it listens on loopback only.")
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--db", paramLabel = "FILE", description = "The ada-carbon database to serve (read only).")
    Path db;

    @Option(
            names = "--bind",
            paramLabel = "ADDRESS",
            description = "The address to listen on (default ${DEFAULT-VALUE}); another than loopback needs --tokens.")
    String bind = "127.0.0.1";

    @Option(names = "--port", paramLabel = "N", description = "The port (default ${DEFAULT-VALUE}; 0: any free one).")
    int port = 8080;

    @Option(
            names = "--tokens",
            paramLabel = "FILE",
            description = "The accepted bearer tokens: lines of 'sha256:<hex> <role> <label>', role operator,"
                    + " group:<group_name> or user:<user_id>.")
    Path tokens;

    @Option(
            names = "--bootstrap-servers",
            paramLabel = "HOST:PORT",
            description = "The cluster, so that /health says how far the database is behind the raw topics.")
    String bootstrapServers;

    @Mixin
    KafkaConfigOption kafka;

    @Option(
            names = "--connections",
            paramLabel = "N",
            description = "Read-only database connections shared by the requests (default ${DEFAULT-VALUE}).")
    int connections = 4;

    @Option(
            names = "--horizon-days",
            paramLabel = "D",
            description = "The aggregator's horizon.days or more (default ${DEFAULT-VALUE}): bars of facts further"
                    + " behind the newest are final, so they are read once and remembered.")
    int horizonDays = 7;

    @Option(
            names = "--hash-token",
            description = "Read a token from standard input, print the sha256:<hex> a --tokens file lists for it,"
                    + " and exit.")
    boolean hashToken;

    @Override
    public Integer call() throws Exception {
        if (hashToken) {
            String token = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (token == null || token.isBlank()) {
                throw new IllegalArgumentException("--hash-token: no token on standard input");
            }
            System.out.println(TokenFile.hash(token.strip()));
            return 0;
        }
        if (db == null) {
            throw new IllegalArgumentException("--db FILE is required");
        }
        if (connections < 1 || connections > 64) {
            throw new IllegalArgumentException("--connections: " + connections + " is not between 1 and 64");
        }
        if (horizonDays < 1) {
            throw new IllegalArgumentException("--horizon-days: " + horizonDays + " is less than 1");
        }
        TokenFile tokenFile = tokens == null ? null : TokenFile.read(tokens);
        if (tokenFile == null && !loopback(bind)) {
            throw new IllegalArgumentException("--bind " + bind + " without --tokens is refused: every caller would see"
                    + " everything. Give --tokens FILE, or bind 127.0.0.1.");
        }
        PipelineLag lag = bootstrapServers == null ? null : new PipelineLag(bootstrapServers, kafka.properties());
        CarbonServer server = CarbonServer.start(new CarbonServer.Settings(
                db, bind, port, tokenFile, lag, connections, java.time.Duration.ofDays(horizonDays)));
        String host = bind.contains(":") ? "[" + bind + "]" : bind;
        System.err.printf(
                "serving %s read-only at http://%s:%d/ (the dashboard; the API is described at /openapi.json)%n",
                db.toAbsolutePath(), host, server.port());
        System.err.println(
                tokenFile == null
                        ? "no --tokens: every caller is an operator, so it listens on loopback only"
                        : tokenFile.size() + " token(s) from " + tokens + "; requests without one are answered 401");
        java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
        AutoCloseable service = () -> {
            server.close();
            closed.countDown();
        };
        return Services.runUntilSignalled("serve", service, () -> {}, closed::await);
    }

    public static boolean loopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--bind: cannot resolve '" + address + "'");
        }
    }
}
