package ada.carbon.ingest.source.registry;

import ada.carbon.ingest.source.common.HttpFetcher;
import ada.carbon.ingest.source.common.SourceException;
import ada.carbon.ingest.source.common.Urls;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Where the registry's records of one kind are read: a URL answering JSON, or a file.
 *
 * <p>An answer may be an array of records; an object wrapping them ({@code _items} as Eve, the REST
 * layer of a MongoDB, answers, or {@code items}, {@code data}, {@code results}, …); or, for a file,
 * JSON Lines as {@code mongoexport} writes them. Pages are followed through {@code _links.next.href}
 * (Eve) or a top-level {@code next} URL, on the configured URL's origin only: the request headers
 * ({@code Authorization}) go to no server but the one the user named, so a next page elsewhere fails.
 */
public abstract class RegistryInput {
    static final ObjectMapper MAPPER = JsonMapper.builder().build();
    private static final String[] WRAPPERS = {"_items", "items", "data", "results", "records", "workspaces", "users"};
    private static final int MAX_PAGES = 100_000;

    /** One record, with where it came from (for a dead letter). */
    public record Doc(JsonNode node, String source, long index) {}

    /** All records, in the order read. */
    public abstract List<Doc> read(RegistryMapping mapping, String keyField);

    /** For messages (a URL {@link Urls#masked masked}). */
    public abstract String describe();

    /** Puts what identifies this input into a checkpoint's job, under {@code field}. */
    public abstract void putIdentity(ObjectNode job, String field);

    public static RegistryInput url(HttpFetcher http, URI uri) {
        return new Url(http, uri);
    }

    public static RegistryInput file(Path file) {
        return new FileInput(file);
    }

    static List<JsonNode> items(JsonNode root, RegistryMapping mapping, String keyField, String where) {
        List<JsonNode> out = new ArrayList<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw SourceException.permanent(where + " holds no JSON");
        }
        if (root.isArray()) {
            root.forEach(out::add);
            return out;
        }
        if (!root.isObject()) {
            throw SourceException.permanent(where + " holds neither records nor a list of them");
        }
        String configured = mapping.get("items");
        if (!configured.isEmpty()) {
            JsonNode a = root.get(configured);
            if (a == null || !a.isArray()) {
                throw SourceException.permanent(where + " has no array '" + configured + "' (mapping key items)");
            }
            a.forEach(out::add);
            return out;
        }
        for (String w : WRAPPERS) {
            JsonNode a = root.get(w);
            if (a != null && a.isArray()) {
                a.forEach(out::add);
                return out;
            }
        }
        if (RegistrySource.path(root, keyField) != null) {
            out.add(root);
            return out;
        }
        throw SourceException.permanent(where + " is an object with no list of records (looked for "
                + String.join(", ", WRAPPERS) + "; set the mapping key items)");
    }

    private static final class Url extends RegistryInput {
        private final HttpFetcher http;
        private final URI uri;

        Url(HttpFetcher http, URI uri) {
            this.http = http;
            this.uri = uri;
        }

        @Override
        public List<Doc> read(RegistryMapping mapping, String keyField) {
            List<Doc> docs = new ArrayList<>();
            Set<URI> seen = new HashSet<>();
            URI page = uri;
            long index = 0;
            for (int pages = 0; page != null; pages++) {
                String where = Urls.masked(page);
                if (!seen.add(page) || pages >= MAX_PAGES) {
                    throw SourceException.permanent("the pages of " + describe() + " loop back to " + where);
                }
                byte[] body = http.get(page).body();
                JsonNode root;
                try {
                    root = MAPPER.readTree(body);
                } catch (IOException e) {
                    throw SourceException.permanent("GET " + where + " answered with no JSON: " + e.getMessage());
                }
                for (JsonNode n : items(root, mapping, keyField, "GET " + where)) {
                    docs.add(new Doc(n, where, ++index));
                }
                URI next = next(root, page);
                if (next != null && !Urls.sameOrigin(uri, next)) {
                    throw SourceException.permanent("GET " + where + " gives as its next page " + Urls.masked(next)
                            + ", on another origin: " + Urls.origin(next) + " rather than " + Urls.origin(uri)
                            + ". Not followed: the request's headers (--header) go to the configured origin only.");
                }
                page = next;
            }
            return docs;
        }

        private static URI next(JsonNode root, URI current) {
            if (root == null || !root.isObject()) {
                return null;
            }
            JsonNode href = root.path("_links").path("next").path("href");
            if (!href.isTextual()) {
                href = root.path("next");
            }
            if (!href.isTextual() || href.textValue().isBlank()) {
                return null;
            }
            try {
                return current.resolve(href.textValue().strip());
            } catch (IllegalArgumentException e) {
                throw SourceException.permanent(
                        "GET " + Urls.masked(current) + " gives as its next page something" + " that is no URL");
            }
        }

        @Override
        public String describe() {
            return Urls.masked(uri);
        }

        @Override
        public void putIdentity(ObjectNode job, String field) {
            Urls.putIdentity(job, field, uri);
        }
    }

    private static final class FileInput extends RegistryInput {
        private final Path file;

        FileInput(Path file) {
            this.file = file;
        }

        @Override
        public List<Doc> read(RegistryMapping mapping, String keyField) {
            List<JsonNode> values = new ArrayList<>();
            try (MappingIterator<JsonNode> it = MAPPER.readerFor(JsonNode.class).readValues(Files.readAllBytes(file))) {
                while (it.hasNextValue()) {
                    values.add(it.nextValue());
                }
            } catch (IOException e) {
                throw new SourceException("cannot read " + file + ": " + e.getMessage(), false, e);
            }
            List<JsonNode> records =
                    values.size() == 1 ? items(values.get(0), mapping, keyField, file.toString()) : values;
            List<Doc> docs = new ArrayList<>();
            long index = 0;
            for (JsonNode n : records) {
                docs.add(new Doc(n, file.toString(), ++index));
            }
            return docs;
        }

        @Override
        public String describe() {
            return file.toAbsolutePath().normalize().toString();
        }

        @Override
        public void putIdentity(ObjectNode job, String field) {
            job.put(field, describe());
        }
    }
}
