package ada.carbon.ingest.source.registry;

import ada.carbon.avro.UserEvent;
import ada.carbon.avro.WorkspaceEvent;
import ada.carbon.ingest.json.JsonEvents;
import ada.carbon.ingest.source.common.Anomalies;
import ada.carbon.ingest.source.common.Committer;
import ada.carbon.ingest.source.common.EventSink;
import ada.carbon.ingest.source.common.FollowClock;
import ada.carbon.ingest.source.common.Hashes;
import ada.carbon.ingest.source.common.SourceException;
import ada.carbon.ingest.source.common.SourceTimes;
import ada.carbon.schemas.DeadLetter;
import ada.carbon.schemas.Times;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's registry: workspace records become {@code workspace} events (SPEC 1.3), user
 * records {@code user} events (SPEC 1.4), through a {@link RegistryMapping}.
 *
 * <p>Each read publishes only the records whose event differs from the one published before (a new
 * workspace, a workspace now deleted, a user with a new group), so following with a poll every few
 * minutes costs little. What was published is kept in the checkpoint as a fingerprint per key, so a
 * rerun, or a follower started again, publishes only what changed meanwhile. {@code --restart}
 * publishes everything again.
 *
 * <p>A record that cannot become an event (no key, no creation time, no project) is rejected with
 * its JSON (dead-lettered on Kafka), once per version. A record that disappears from the registry is
 * reported: its last event stands, since the registry did not say when it ended.
 */
public final class RegistrySource {
    public static final String NAME = "registry";
    private static final Logger log = LoggerFactory.getLogger(RegistrySource.class);
    static final String WORKSPACES = "workspaces";
    static final String USERS = "users";
    static final String REJECTED = "rejected";

    private final RegistryMapping mapping;
    private final Optional<RegistryInput> workspaces;
    private final Optional<RegistryInput> users;
    private final EventSink sink;
    private final Committer committer;
    private final Consumer<String> progress;
    private final Anomalies anomalies = new Anomalies(log);
    private long events;

    /** What one read did. */
    public record Poll(int workspaces, int workspacesChanged, int users, int usersChanged, int rejected, int gone) {}

    public RegistrySource(
            RegistryMapping mapping,
            Optional<RegistryInput> workspaces,
            Optional<RegistryInput> users,
            EventSink sink,
            Committer committer,
            Consumer<String> progress) {
        if (workspaces.isEmpty() && users.isEmpty()) {
            throw new IllegalArgumentException("give the workspaces, the users, or both");
        }
        this.mapping = mapping;
        this.workspaces = workspaces;
        this.users = users;
        this.sink = sink;
        this.committer = committer;
        this.progress = progress;
    }

    public static ObjectNode job(
            RegistryMapping mapping, Optional<RegistryInput> workspaces, Optional<RegistryInput> users) {
        ObjectNode job = JsonNodeFactory.instance.objectNode();
        workspaces.ifPresentOrElse(w -> w.putIdentity(job, WORKSPACES), () -> job.putNull(WORKSPACES));
        users.ifPresentOrElse(u -> u.putIdentity(job, USERS), () -> job.putNull(USERS));
        job.set("mapping", mapping.identity());
        return job;
    }

    public long events() {
        return events;
    }

    public Anomalies anomalies() {
        return anomalies;
    }

    /** Reads once, publishes what changed since the checkpoint (everything, without one). */
    public Poll once(Optional<ObjectNode> resume) {
        ObjectNode state = resume.map(ObjectNode::deepCopy).orElseGet(JsonNodeFactory.instance::objectNode);
        Poll p = poll(state);
        progress.accept(describe(p));
        return p;
    }

    /** Reads every {@code interval} until the clock is stopped, publishing what changed. */
    public void follow(Optional<ObjectNode> resume, FollowClock clock, Duration interval, Duration retryPause) {
        ObjectNode state = resume.map(ObjectNode::deepCopy).orElseGet(JsonNodeFactory.instance::objectNode);
        while (!clock.stopped()) {
            Instant now = clock.now();
            try {
                progress.accept(describe(poll(state)));
            } catch (SourceException e) {
                if (!e.isTransient()) {
                    throw e;
                }
                if (clock.stopped()) {
                    break; // stopped mid-request: what was not finished is done again next time
                }
                log.error(
                        "{}: the read at {} failed; trying again in {}: {}",
                        NAME,
                        Times.format(now),
                        retryPause,
                        e.getMessage());
                if (!clock.sleepUntil(now.plus(retryPause))) {
                    break;
                }
                continue;
            }
            if (!clock.sleepUntil(now.plus(interval))) {
                break;
            }
        }
        progress.accept(NAME + ": stopped following");
    }

    private String describe(Poll p) {
        return String.format(
                "%s: %d workspaces (%d new or changed), %d users (%d new or changed)%s%s",
                NAME,
                p.workspaces(),
                p.workspacesChanged(),
                p.users(),
                p.usersChanged(),
                p.rejected() > 0 ? ", " + p.rejected() + " newly rejected" : "",
                p.gone() > 0 ? ", " + p.gone() + " no longer listed" : "");
    }

    private Poll poll(ObjectNode state) {
        // Both are read before anything is published: a failed read publishes nothing.
        List<RegistryInput.Doc> userDocs =
                users.map(u -> u.read(mapping, mapping.get("user.id"))).orElse(List.of());
        List<RegistryInput.Doc> workspaceDocs = workspaces
                .map(w -> w.read(mapping, mapping.get("workspace.key")))
                .orElse(List.of());
        Set<String> rejectedBefore = new HashSet<>();
        state.path(REJECTED).forEach(n -> rejectedBefore.add(n.asText()));
        Set<String> rejectedNow = new HashSet<>();
        int[] rejectedNew = {0};
        int[] gone = {0};
        int[] usersChanged = {0};
        int[] workspacesChanged = {0};
        int userCount = 0;
        int workspaceCount = 0;
        if (users.isPresent()) {
            Map<String, UserEvent> read = mapAll(
                    userDocs, this::user, UserEvent::getUserId, "user", rejectedBefore, rejectedNow, rejectedNew);
            userCount = read.size();
            usersChanged[0] = publishChanged(state, USERS, read, "user", gone);
        }
        if (workspaces.isPresent()) {
            Map<String, WorkspaceEvent> read = mapAll(
                    workspaceDocs,
                    this::workspace,
                    WorkspaceEvent::getWorkspaceKey,
                    "workspace",
                    rejectedBefore,
                    rejectedNow,
                    rejectedNew);
            workspaceCount = read.size();
            workspacesChanged[0] = publishChanged(state, WORKSPACES, read, "workspace", gone);
        }
        ArrayNode rejected = JsonNodeFactory.instance.arrayNode();
        rejectedNow.stream().sorted().forEach(rejected::add);
        state.set(REJECTED, rejected);
        committer.commit(state);
        return new Poll(workspaceCount, workspacesChanged[0], userCount, usersChanged[0], rejectedNew[0], gone[0]);
    }

    @FunctionalInterface
    private interface Mapper<E> {
        E map(JsonNode doc);
    }

    private <E extends SpecificRecord> Map<String, E> mapAll(
            List<RegistryInput.Doc> docs,
            Mapper<E> mapper,
            java.util.function.Function<E, String> key,
            String kind,
            Set<String> rejectedBefore,
            Set<String> rejectedNow,
            int[] rejectedNew) {
        Map<String, E> out = new LinkedHashMap<>();
        for (RegistryInput.Doc d : docs) {
            E event;
            try {
                event = mapper.map(d.node());
            } catch (IllegalArgumentException e) {
                byte[] original = d.node().toString().getBytes(StandardCharsets.UTF_8);
                String hash = Hashes.of(d.node().toString());
                rejectedNow.add(hash);
                if (!rejectedBefore.contains(hash)) {
                    sink.reject(
                            original, DeadLetter.MALFORMED, kind + " record: " + e.getMessage(), d.source(), d.index());
                    rejectedNew[0]++;
                }
                continue;
            }
            E earlier = out.put(key.apply(event), event);
            if (earlier != null) {
                anomalies.report(
                        "duplicate key",
                        "the registry lists " + kind + " " + key.apply(event) + " twice; the later record is used");
            }
        }
        return out;
    }

    private <E extends SpecificRecord> int publishChanged(
            ObjectNode state, String field, Map<String, E> read, String kind, int[] gone) {
        JsonNode before = state.path(field);
        ObjectNode after = JsonNodeFactory.instance.objectNode();
        int changed = 0;
        for (Map.Entry<String, E> e : read.entrySet()) {
            String hash = Hashes.of(JsonEvents.toJson(e.getValue()));
            if (!hash.equals(before.path(e.getKey()).asText(null))) {
                sink.emit(e.getValue(), kind + "s");
                events++;
                changed++;
            }
            after.put(e.getKey(), hash);
        }
        List<String> vanished = new ArrayList<>();
        before.fieldNames().forEachRemaining(k -> {
            if (!read.containsKey(k)) {
                vanished.add(k);
            }
        });
        if (!vanished.isEmpty()) {
            gone[0] += vanished.size();
            anomalies.report(
                    "no longer listed",
                    vanished.size(),
                    vanished.size() + " " + kind + " record(s) the"
                            + " registry listed before are gone ("
                            + String.join(", ", vanished.subList(0, Math.min(5, vanished.size())))
                            + (vanished.size() > 5 ? ", …" : "") + "); their last events stand,"
                            + " as the registry does not say when they ended");
        }
        state.set(field, sortedCopy(after));
        return changed;
    }

    private static ObjectNode sortedCopy(ObjectNode n) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        new TreeMap<String, JsonNode>() {
            {
                n.fields().forEachRemaining(e -> put(e.getKey(), e.getValue()));
            }
        }.forEach(out::set);
        return out;
    }

    WorkspaceEvent workspace(JsonNode doc) {
        String key = requiredText(doc, "workspace.key");
        String instance = requiredText(doc, "workspace.instance");
        String owner = text(doc, "workspace.owner");
        if (owner != null && owner.isBlank()) {
            owner = null;
        }
        Instant created = time(doc, "workspace.created_time");
        if (created == null) {
            throw new IllegalArgumentException("no " + mapping.get("workspace.created_time"));
        }
        Instant deleted = time(doc, "workspace.deleted_time");
        String state = text(doc, "workspace.state");
        if (deleted == null && state != null && mapping.deletedStates().contains(state)) {
            anomalies.report(
                    "deleted without a time",
                    "workspace " + key + " is in state " + state + " but has no "
                            + mapping.get("workspace.deleted_time") + "; published as still holding " + instance);
        }
        String tag = text(doc, "workspace.tag");
        String project = Optional.ofNullable(text(doc, "workspace.project"))
                .filter(s -> !s.isBlank())
                .or(() -> Optional.ofNullable(tag).flatMap(mapping::tagProject))
                .orElseThrow(() -> new IllegalArgumentException("no " + mapping.get("workspace.project")
                        + (tag == null
                                ? ""
                                : ", and tag '" + tag + "' has no project (mapping key tag." + tag + ".project)")));
        String machine = Optional.ofNullable(text(doc, "workspace.machine"))
                .filter(s -> !s.isBlank())
                .or(() -> Optional.ofNullable(tag).flatMap(mapping::tagMachine))
                .or(() -> mapping.machineFromHostname(instance))
                .orElseThrow(() -> new IllegalArgumentException("no " + mapping.get("workspace.machine")
                        + (tag == null
                                ? ""
                                : ", tag '" + tag + "' has no machine (mapping key tag." + tag + ".machine)")
                        + " and workspace.machine_pattern finds none in '" + instance + "'"));
        return new WorkspaceEvent(key, instance, owner, project, machine, created, deleted);
    }

    UserEvent user(JsonNode doc) {
        String id = requiredText(doc, "user.id");
        String name = text(doc, "user.display_name");
        String group = group(doc.isObject() ? path(doc, mapping.get("user.group")) : null, id);
        List<String> projects = new ArrayList<>();
        JsonNode p = path(doc, mapping.get("user.projects"));
        if (p != null && !p.isNull()) {
            if (p.isArray()) {
                for (JsonNode e : p) {
                    String s = name(e);
                    if (s != null && !s.isBlank() && !projects.contains(s)) {
                        projects.add(s);
                    }
                }
            } else {
                String s = name(p);
                if (s != null && !s.isBlank()) {
                    projects.add(s);
                }
            }
        }
        return new UserEvent(id, blankToNull(name), blankToNull(group), projects);
    }

    private String group(JsonNode g, String user) {
        if (g == null || g.isNull()) {
            return null;
        }
        if (g.isArray()) {
            if (g.isEmpty()) {
                return null;
            }
            if (g.size() > 1) {
                anomalies.report(
                        "several groups",
                        "user " + user + " is in " + g.size() + " groups; the first, " + name(g.get(0)) + ", is used");
            }
            return name(g.get(0));
        }
        return name(g);
    }

    /** A string, a number, {@code {"$oid": …}}, or an object's {@code name}. */
    private static String name(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isTextual() || n.isNumber()) {
            return n.asText();
        }
        if (n.isObject()) {
            if (n.has("$oid")) {
                return n.get("$oid").asText();
            }
            if (n.has("name")) {
                return name(n.get("name"));
            }
        }
        throw new IllegalArgumentException("not a name: " + n);
    }

    private String requiredText(JsonNode doc, String key) {
        String v = text(doc, key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("no " + mapping.get(key));
        }
        return v;
    }

    private String text(JsonNode doc, String key) {
        String field = mapping.get(key);
        if (field.isEmpty() || !doc.isObject()) {
            return null;
        }
        JsonNode v = path(doc, field);
        try {
            return name(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + field + "' is not text: " + v);
        }
    }

    private Instant time(JsonNode doc, String key) {
        String field = mapping.get(key);
        JsonNode v = doc.isObject() ? path(doc, field) : null;
        try {
            return SourceTimes.fromJson(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + field + "': " + e.getMessage());
        }
    }

    /** The node at a dotted path, or null. */
    static JsonNode path(JsonNode doc, String dotted) {
        if (doc == null || dotted == null || dotted.isEmpty()) {
            return null;
        }
        JsonNode n = doc;
        for (String part : dotted.split("\\.")) {
            if (n == null || !n.isObject()) {
                return null;
            }
            n = n.get(part);
        }
        return n;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
