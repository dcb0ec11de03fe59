package ada.carbon.sink;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Tests that each start with a new database file, open for the whole test. */
abstract class OpenDatabaseTest {
    @TempDir
    Path dir;

    Path file;
    AdaDatabase db;

    @BeforeEach
    void open() {
        file = dir.resolve("ada.db");
        db = AdaDatabase.open(file);
    }

    @AfterEach
    void close() {
        db.close();
    }
}
