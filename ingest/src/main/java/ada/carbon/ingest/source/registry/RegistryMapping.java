package ada.carbon.ingest.source.registry;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * How registry documents become {@code workspace} and {@code user} events: which field holds what
 * (a dotted path reaches into nested objects, e.g. {@code parameters.owner}), and where a workspace's
 * project and machine type come from when its document does not name them. Read from a properties
 * file; every key is optional, and an unknown key is refused.
 *
 * <table>
 *   <caption>keys</caption>
 *   <tr><td>{@code workspace.key}</td><td>{@code _id}</td></tr>
 *   <tr><td>{@code workspace.instance}</td><td>{@code hostname}</td></tr>
 *   <tr><td>{@code workspace.owner}</td><td>{@code owner}</td></tr>
 *   <tr><td>{@code workspace.created_time}, {@code workspace.deleted_time}</td><td>the same names</td></tr>
 *   <tr><td>{@code workspace.state}, {@code workspace.deleted_states}</td><td>{@code state}, {@code DELETED}</td></tr>
 *   <tr><td>{@code workspace.project}, {@code workspace.machine}</td><td>{@code cloud_project_name}, {@code machine_name}</td></tr>
 *   <tr><td>{@code workspace.tag}</td><td>{@code tag}</td></tr>
 *   <tr><td>{@code tag.<TAG>.project}, {@code tag.<TAG>.machine}</td><td>the project and machine type of a tag</td></tr>
 *   <tr><td>{@code workspace.machine_pattern}</td><td>a regular expression over the hostname whose group 1 is the machine type</td></tr>
 *   <tr><td>{@code machine.<found>}</td><td>renames a machine type the pattern found ({@code machine.muon=Muon})</td></tr>
 *   <tr><td>{@code user.id}, {@code user.display_name}</td><td>{@code platform_name}, {@code name}</td></tr>
 *   <tr><td>{@code user.group}, {@code user.projects}</td><td>{@code group}, {@code projects}</td></tr>
 *   <tr><td>{@code items}</td><td>the field of a wrapped answer holding the records (default: {@code _items},
 *       {@code items}, {@code data}, {@code results}, … whichever is an array)</td></tr>
 * </table>
 */
public final class RegistryMapping {
    private static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("workspace.key", "_id"),
            Map.entry("workspace.instance", "hostname"),
            Map.entry("workspace.owner", "owner"),
            Map.entry("workspace.created_time", "created_time"),
            Map.entry("workspace.deleted_time", "deleted_time"),
            Map.entry("workspace.state", "state"),
            Map.entry("workspace.deleted_states", "DELETED"),
            Map.entry("workspace.project", "cloud_project_name"),
            Map.entry("workspace.machine", "machine_name"),
            Map.entry("workspace.tag", "tag"),
            Map.entry("workspace.machine_pattern", ""),
            Map.entry("user.id", "platform_name"),
            Map.entry("user.display_name", "name"),
            Map.entry("user.group", "group"),
            Map.entry("user.projects", "projects"),
            Map.entry("items", ""));
    private static final Pattern TAG_KEY = Pattern.compile("tag\\.(.+)\\.(project|machine)");
    private static final Pattern MACHINE_KEY = Pattern.compile("machine\\.(.+)");

    private final Map<String, String> values;
    private final Pattern machinePattern;

    private RegistryMapping(Map<String, String> values) {
        this.values = new TreeMap<>(values);
        String p = get("workspace.machine_pattern");
        try {
            this.machinePattern = p.isEmpty() ? null : Pattern.compile(p);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(
                    "workspace.machine_pattern is not a regular expression: " + e.getMessage());
        }
        if (machinePattern != null && machinePattern.matcher("").groupCount() < 1) {
            throw new IllegalArgumentException("workspace.machine_pattern needs a group: the machine type");
        }
    }

    public static RegistryMapping defaults() {
        return new RegistryMapping(DEFAULTS);
    }

    /** The defaults, with what {@code overrides} sets. */
    public static RegistryMapping of(Map<String, String> overrides) {
        Map<String, String> v = new TreeMap<>(DEFAULTS);
        overrides.forEach((k, val) -> {
            String key = k.strip();
            if (!DEFAULTS.containsKey(key)
                    && !TAG_KEY.matcher(key).matches()
                    && !MACHINE_KEY.matcher(key).matches()) {
                throw new IllegalArgumentException(
                        "unknown registry mapping key '" + key + "' (known: " + new TreeMap<>(DEFAULTS).keySet()
                                + ", tag.<TAG>.project, tag.<TAG>.machine, machine.<found>)");
            }
            v.put(key, val == null ? "" : val.strip());
        });
        return new RegistryMapping(v);
    }

    public static RegistryMapping load(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        Map<String, String> m = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> m.put(k, p.getProperty(k)));
        try {
            return of(m);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    public String get(String key) {
        return values.getOrDefault(key, "");
    }

    public Set<String> deletedStates() {
        return Arrays.stream(get("workspace.deleted_states").split(","))
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    public Optional<String> tagProject(String tag) {
        return Optional.ofNullable(values.get("tag." + tag + ".project")).filter(s -> !s.isEmpty());
    }

    public Optional<String> tagMachine(String tag) {
        return Optional.ofNullable(values.get("tag." + tag + ".machine")).filter(s -> !s.isEmpty());
    }

    /** The machine type the pattern finds in a hostname, renamed by {@code machine.<found>} if set. */
    public Optional<String> machineFromHostname(String hostname) {
        if (machinePattern == null || hostname == null) {
            return Optional.empty();
        }
        var m = machinePattern.matcher(hostname);
        if (!m.find() || m.group(1) == null || m.group(1).isEmpty()) {
            return Optional.empty();
        }
        String found = m.group(1);
        return Optional.of(values.getOrDefault("machine." + found, found));
    }

    /** Everything that changes the events, for the checkpoint's job. */
    public ObjectNode identity() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        values.forEach(n::put);
        return n;
    }
}
