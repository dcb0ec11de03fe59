package ada.carbon.ingest.sim;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/** The simulated platform's fixed cast: hosts with their project, machine type and cores, and users. */
final class Population {
    static final List<String> PROJECTS = List.of("IDAaaS", "CDAaaS", "SCD-Training", "ISIS-Staging");
    private static final double[] PROJECT_WEIGHTS = {0.50, 0.30, 0.12, 0.08};
    // Jupyter, Muon and SANS appear under two projects, so machine totals cut across projects.
    private static final List<List<String>> MACHINES = List.of(
            List.of("Muon", "SANS", "ISIS-Excitations", "Reflectometry", "Diffraction", "Imaging"),
            List.of("Jupyter", "Diamond-MX", "CLF-Analysis"),
            List.of("Jupyter", "Training"),
            List.of("Muon", "SANS"));
    private static final int[] CORES = {4, 8, 16, 32, 64};
    private static final double[] CORE_WEIGHTS = {0.15, 0.30, 0.30, 0.17, 0.08};
    private static final List<String> FIRST = List.of(
            "Andrew", "Beatriz", "Chen", "Deepa", "Emeka", "Fiona", "Gareth", "Hana", "Ivan", "Jasmine", "Kofi",
            "Laura", "Mateusz", "Niamh", "Olu", "Priya", "Rhys", "Sofia", "Tomasz", "Yuki");
    private static final List<String> LAST = List.of(
            "Smith",
            "Jones",
            "Okafor",
            "Patel",
            "Nowak",
            "Williams",
            "Garcia",
            "Evans",
            "Kowalski",
            "Brown",
            "Taylor",
            "Hughes",
            "Singh",
            "Murphy",
            "Rossi",
            "Wang");

    private Population() {}

    static List<SimHost> hosts(int count, SplittableRandom rng) {
        List<SimHost> hosts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int p = pick(PROJECT_WEIGHTS, rng);
            List<String> machines = MACHINES.get(p);
            String machine = machines.get(rng.nextInt(machines.size()));
            int cores = CORES[pick(CORE_WEIGHTS, rng)];
            String host = hostName(i);
            String instance = host + ":9100";
            hosts.add(new SimHost(
                    i, instance, registryLabel(i, host, instance), PROJECTS.get(p), machine, cores, i % 50 == 49));
        }
        return hosts;
    }

    /**
     * Registered users, then {@code ghosts} owners the registry never describes. A few users have no
     * display name, no group or no project, as in the real registry.
     */
    static List<SimUser> users(int count, int ghosts, SplittableRandom rng) {
        // Capped well below the RB-number space, so drawing distinct names always ends.
        List<String> groups = groups(Math.min(20_000, Math.max(2, count / 6)), rng);
        Set<String> ids = new HashSet<>();
        List<SimUser> users = new ArrayList<>(count + ghosts);
        for (int i = 0; i < count + ghosts; i++) {
            String id = userId(rng, ids);
            String name = rng.nextDouble() < 0.08
                    ? null
                    : FIRST.get(rng.nextInt(FIRST.size())) + " " + LAST.get(rng.nextInt(LAST.size()));
            String group = rng.nextDouble() < 0.10 ? null : groups.get(rng.nextInt(groups.size()));
            users.add(new SimUser(id, name, group, projects(rng), i < count));
        }
        return users;
    }

    static List<String> projects(SplittableRandom rng) {
        double r = rng.nextDouble();
        if (r < 0.05) {
            return List.of();
        }
        String first = PROJECTS.get(pick(PROJECT_WEIGHTS, rng));
        if (r < 0.80) {
            return List.of(first);
        }
        String second = PROJECTS.get(pick(PROJECT_WEIGHTS, rng));
        return first.equals(second) ? List.of(first) : List.of(first, second);
    }

    static String group(SplittableRandom rng) {
        return String.format(Locale.ROOT, "RB%02d%05d", 23 + rng.nextInt(3), 10001 + rng.nextInt(9000));
    }

    static int pick(double[] weights, SplittableRandom rng) {
        double r = rng.nextDouble();
        for (int i = 0; i < weights.length - 1; i++) {
            r -= weights[i];
            if (r < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    /** Names like the Ada cloud's; a few hosts have IPv6 addresses, whose labels need brackets. */
    private static String hostName(int i) {
        if (i % 97 == 13) {
            return String.format(Locale.ROOT, "[fd00:ada:0:%x::%x]", i / 256, i % 256 + 1);
        }
        return String.format(Locale.ROOT, "host-172-16-%d-%d.nubes.stfc.ac.uk", 100 + i / 250, 1 + i % 250);
    }

    private static String registryLabel(int i, String host, String instance) {
        if (host.startsWith("[")) {
            return instance;
        }
        if (i % 25 == 3) {
            return host;
        }
        if (i % 40 == 11) {
            return host.toUpperCase(Locale.ROOT) + ":9100";
        }
        return instance;
    }

    private static List<String> groups(int count, SplittableRandom rng) {
        Set<String> names = new HashSet<>();
        List<String> groups = new ArrayList<>(count);
        while (groups.size() < count) {
            String g = group(rng);
            if (names.add(g)) {
                groups.add(g);
            }
        }
        return groups;
    }

    private static String userId(SplittableRandom rng, Set<String> taken) {
        while (true) {
            String id = String.format(
                    Locale.ROOT,
                    "%c%c%06d",
                    (char) ('a' + rng.nextInt(26)),
                    (char) ('a' + rng.nextInt(26)),
                    rng.nextInt(1_000_000));
            if (taken.add(id)) {
                return id;
            }
        }
    }
}
