package ada.carbon.app;

import ada.carbon.core.AccountingConfig;
import ada.carbon.core.ConfigException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** Reads the accounting configuration: the {@code --config} properties file, then the environment. */
public final class ConfigFiles {
    private ConfigFiles() {}

    public static AccountingConfig load(Path file) {
        Properties props = new Properties();
        if (file != null) {
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                props.load(in);
            } catch (IOException e) {
                throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
            }
        }
        return AccountingConfig.from(props, System.getenv());
    }
}
