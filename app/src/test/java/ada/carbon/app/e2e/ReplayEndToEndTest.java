package ada.carbon.app.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code replay}: a database rebuilt from the aggregator's output topics alone equals the original. */
class ReplayEndToEndTest {

    @Test
    void aDatabaseRebuiltFromTheOutputTopicsHasTheSameRows() {
        ReferenceLoad ref = ReferenceLoad.get();
        assertThat(ref.replay.exitCode())
                .as("replay's exit code; stderr:\n%s", ref.replay.stderr())
                .isZero();
        assertThat(ref.replay.stdout())
                .contains("replayed")
                .contains(ref.replayed.getFileName().toString());
        Snapshots.assertSame("replayed from the output topics", Snapshots.of(ref.db), Snapshots.of(ref.replayed));
    }
}
