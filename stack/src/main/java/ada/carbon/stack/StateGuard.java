package ada.carbon.stack;

import ada.carbon.core.AccountingConfig;
import ada.carbon.core.ConfigException;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Refuses to add to a state directory with settings other than those it was computed with: facts made
 * with two power models would be silently wrong. A different configuration is a reprocess, not a load.
 */
final class StateGuard {
    static final String FILE = "accounting.properties";

    private StateGuard() {}

    static void check(Path dataDir, AccountingConfig config) {
        Map<String, String> now = config.toProperties();
        Map<String, String> before = stored(dataDir);
        if (before.isEmpty()) {
            write(dataDir, now);
        } else if (!before.equals(now)) {
            throw new ConfigException("the state in " + dataDir + " was computed with other settings (" + before
                    + "); now " + now + ". Use the same --config, or recompute with 'reprocess'.");
        }
    }

    static Map<String, String> stored(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        Map<String, String> out = new TreeMap<>();
        if (!Files.exists(file)) {
            return out;
        }
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
        return out;
    }

    private static void write(Path dataDir, Map<String, String> settings) {
        Properties p = new Properties();
        p.putAll(settings);
        try {
            Files.createDirectories(dataDir);
            try (Writer out = Files.newBufferedWriter(dataDir.resolve(FILE), StandardCharsets.UTF_8)) {
                p.store(out, "the accounting settings this state was computed with");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
