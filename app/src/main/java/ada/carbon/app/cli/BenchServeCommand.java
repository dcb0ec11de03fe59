package ada.carbon.app.cli;

import ada.carbon.report.serve.ServeBench;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "bench-serve",
        mixinStandardHelpOptions = true,
        description = "Measure serve: /carbon/history and /users/{id}/usage over a year of hourly facts (written"
                + " through the sink's own writer) while a writer keeps committing; prints p50, p99 and requests/s.")
public final class BenchServeCommand implements Callable<Integer> {
    @Option(names = "--dir", paramLabel = "DIR", description = "Where the database goes (default ${DEFAULT-VALUE}).")
    Path dir = Path.of(".ada-carbon-bench-serve");

    @Option(names = "--hosts", description = "Hosts, each with a workspace (default ${DEFAULT-VALUE}).")
    int hosts = 1000;

    @Option(names = "--users", description = "Users, each with a fact every hour (default ${DEFAULT-VALUE}).")
    int users = 500;

    @Option(names = "--groups", description = "Groups the users are in (default ${DEFAULT-VALUE}).")
    int groups = 50;

    @Option(names = "--projects", description = "Projects (default ${DEFAULT-VALUE}).")
    int projects = 10;

    @Option(names = "--machines", description = "Machine types (default ${DEFAULT-VALUE}).")
    int machines = 20;

    @Option(names = "--days", description = "Days of hourly facts (default ${DEFAULT-VALUE}).")
    int days = 365;

    @Option(names = "--requests", description = "Measured requests per route (default ${DEFAULT-VALUE}).")
    int requests = 2000;

    @Option(names = "--clients", description = "Client threads sending them (default ${DEFAULT-VALUE}).")
    int clients = 4;

    @Option(
            names = "--reuse",
            description = "Keep the database of an earlier run in --dir (same sizes) instead of" + " writing it again.")
    boolean reuse;

    @Override
    public Integer call() throws Exception {
        if (hosts < 1
                || users < 1
                || groups < 1
                || projects < 1
                || machines < 1
                || days < 1
                || requests < 10
                || clients < 1) {
            throw new IllegalArgumentException("every size must be at least 1, and --requests at least 10");
        }
        if (users > hosts) {
            throw new IllegalArgumentException(
                    "--users " + users + " is more than --hosts " + hosts + ": each user holds one host");
        }
        new ServeBench(
                        new ServeBench.Settings(
                                dir, hosts, users, groups, projects, machines, days, requests, clients, 2025, reuse),
                        System.out)
                .run();
        return 0;
    }
}
