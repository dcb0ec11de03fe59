package ada.carbon.ingest.sim;

import java.util.Iterator;
import java.util.List;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deterministic simulation of the Ada platform, as the four input event kinds of SPEC 1 in the order
 * a live platform would produce them: users first, then, step by step, registry changes, grid
 * intensity and one {@code cpu} event per host per scrape interval.
 *
 * <ul>
 *   <li>Hosts each belong to one project and machine type, with 4-64 cores; their busy seconds follow
 *       UK working hours while an owner holds them, and stay near idle otherwise. A few hosts have IPv6
 *       labels, and the registry names a few without their port or in upper case.</li>
 *   <li>Workspaces open and close over time, so hosts change hands, some within a day; some are pool
 *       workspaces with no owner, some hosts sit in gaps between workspaces, a few are never claimed,
 *       and now and then a new workspace opens minutes before the old one closes.</li>
 *   <li>Each half hour gets a forecast an hour ahead and, hours after it ends, the actual that replaces
 *       it; each day one slot gets nothing (the pipeline falls back), one an actual of null, and every
 *       third day one slot gets only a late actual. The last day's actuals have not arrived when the
 *       period ends, and the day after it is forecast: forecasts beyond the newest actual, as the API has.</li>
 *   <li>Beside the national series, region {@link SimulatorConfig#REGION}'s (South England) forecast of each
 *       half hour, with more solar at midday; one slot a day has none.</li>
 *   <li>Hosts occasionally miss scrapes for up to an hour; a few users change group or projects.</li>
 * </ul>
 *
 * Events are generated as they are consumed; each {@link #iterator()} is a fresh, identical run.
 */
public final class PlatformSimulator implements Iterable<SpecificRecord> {
    private static final Logger log = LoggerFactory.getLogger(PlatformSimulator.class);

    private final SimulatorConfig config;
    private final List<SimHost> hosts;
    private final List<SimUser> users;

    public PlatformSimulator(SimulatorConfig config) {
        this.config = config;
        this.hosts =
                List.copyOf(Population.hosts(config.hosts(), new SplittableRandom(Mix.of(config.seed(), 0x4057L, 0))));
        int registered = Math.max(2, config.hosts() / 2);
        this.users = List.copyOf(Population.users(
                registered, Math.max(1, registered / 100), new SplittableRandom(Mix.of(config.seed(), 0x05E5L, 0))));
    }

    public SimulatorConfig config() {
        return config;
    }

    public List<SimHost> hosts() {
        return hosts;
    }

    /** Users as at the start, including the unregistered owners ({@link SimUser#registered()} false). */
    public List<SimUser> users() {
        return users;
    }

    /** A fresh run from the start; its {@link SimulationRun#counts()} tell what it has emitted. */
    @Override
    public SimulationRun iterator() {
        return new SimulationRun(config, hosts, users);
    }

    public Stream<SpecificRecord> stream() {
        Iterator<SpecificRecord> run = iterator();
        return StreamSupport.stream(
                Spliterators.spliteratorUnknownSize(run, Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /** Runs the whole simulation, handing each event to {@code sink} in stream order. */
    public SimulatorCounts run(Consumer<? super SpecificRecord> sink) {
        SimulationRun run = iterator();
        while (run.hasNext()) {
            sink.accept(run.next());
        }
        SimulatorCounts counts = run.counts();
        log.info("Simulated {} hosts for {} days: {}", config.hosts(), config.days(), counts);
        return counts;
    }
}
