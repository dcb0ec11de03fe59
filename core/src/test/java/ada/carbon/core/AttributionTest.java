package ada.carbon.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SPEC 1.3 and 2.4: who holds a host at a piece's start. */
class AttributionTest {

    @Test
    void tenureIsHalfOpen() {
        HostTenure t = new HostTenure("w1", "alice", 100, 200L);
        assertThat(t.holdsAt(99)).isFalse();
        assertThat(t.holdsAt(100)).isTrue();
        assertThat(t.holdsAt(199)).isTrue();
        assertThat(t.holdsAt(200)).isFalse();
    }

    @Test
    void anOpenTenureHoldsForever() {
        HostTenure t = new HostTenure("w1", "alice", 100, null);
        assertThat(t.holdsAt(99)).isFalse();
        assertThat(t.holdsAt(100)).isTrue();
        assertThat(t.holdsAt(Long.MAX_VALUE)).isTrue();
    }

    @Test
    void anEmptyTenureHoldsNever() {
        HostTenure t = new HostTenure("w1", "alice", 100, 100L);
        assertThat(t.holdsAt(99)).isFalse();
        assertThat(t.holdsAt(100)).isFalse();
    }

    @Test
    void ownerOfTheOnlyHoldingWorkspace() {
        List<HostTenure> tenures =
                List.of(new HostTenure("w1", "alice", 0, 100L), new HostTenure("w2", "bob", 100, null));
        assertThat(Attribution.ownerAt(tenures, 0)).contains("alice");
        assertThat(Attribution.ownerAt(tenures, 99)).contains("alice");
        assertThat(Attribution.ownerAt(tenures, 100)).contains("bob");
        assertThat(Attribution.ownerAt(tenures, -1)).isEmpty();
    }

    @Test
    void nullOwnersAreIgnoredEvenWhenLaterCreated() {
        List<HostTenure> tenures =
                List.of(new HostTenure("w1", "alice", 0, null), new HostTenure("pool", null, 50, null));
        assertThat(Attribution.ownerAt(tenures, 60)).contains("alice");
        assertThat(Attribution.ownerAt(List.of(new HostTenure("pool", null, 0, null)), 60))
                .isEmpty();
    }

    @Test
    void laterCreatedWins() {
        List<HostTenure> tenures =
                List.of(new HostTenure("z-old", "alice", 0, null), new HostTenure("a-new", "bob", 50, null));
        assertThat(Attribution.ownerAt(tenures, 49)).contains("alice");
        assertThat(Attribution.ownerAt(tenures, 50)).contains("bob");
        assertThat(Attribution.ownerAt(tenures, 1000)).contains("bob");
    }

    @Test
    void onATieTheGreaterWorkspaceKeyWins() {
        HostTenure a = new HostTenure("65f1c0de9a1b2c3d4e5f6a7a", "alice", 10, null);
        HostTenure b = new HostTenure("65f1c0de9a1b2c3d4e5f6a7b", "bob", 10, null);
        assertThat(Attribution.ownerAt(List.of(a, b), 10)).contains("bob");
        assertThat(Attribution.ownerAt(List.of(b, a), 10)).contains("bob");
    }

    @Test
    void aDeletedLaterWorkspaceGivesTheHostBack() {
        List<HostTenure> tenures =
                List.of(new HostTenure("w1", "alice", 0, null), new HostTenure("w2", "bob", 50, 80L));
        assertThat(Attribution.ownerAt(tenures, 79)).contains("bob");
        assertThat(Attribution.ownerAt(tenures, 80)).contains("alice");
    }

    @Test
    void noTenuresMeansNoOwner() {
        assertThat(Attribution.ownerAt(List.of(), 0)).isEmpty();
        assertThat(Attribution.ownerAt(List.of(new HostTenure("w1", "alice", 100, 200L)), 200))
                .isEmpty();
    }

    @Test
    void theAnswerDoesNotDependOnTheOrderOfTenures() {
        List<HostTenure> tenures = new ArrayList<>(List.of(
                new HostTenure("w1", "alice", 0, null),
                new HostTenure("w2", "bob", 40, 90L),
                new HostTenure("w3", "carol", 40, 70L),
                new HostTenure("w4", null, 60, null),
                new HostTenure("w5", "dave", 95, 95L)));
        List<String> reference = new ArrayList<>();
        for (long t = -5; t < 120; t += 5) {
            reference.add(Attribution.ownerAt(tenures, t).orElse("-"));
        }
        assertThat(reference.subList(1, 9))
                .containsExactly("alice", "alice", "alice", "alice", "alice", "alice", "alice", "alice");
        assertThat(reference.get(9)).isEqualTo("carol"); // t=40: tie on created, "w3" > "w2"
        assertThat(reference.get(15)).isEqualTo("bob"); // t=70: carol's tenure ended
        assertThat(reference.get(19)).isEqualTo("alice"); // t=90: bob's tenure ended
        assertThat(reference.get(20)).isEqualTo("alice"); // t=95: dave's tenure is empty
        for (long seed = 0; seed < 20; seed++) {
            Collections.shuffle(tenures, new java.util.Random(seed));
            List<String> again = new ArrayList<>();
            for (long t = -5; t < 120; t += 5) {
                again.add(Attribution.ownerAt(tenures, t).orElse("-"));
            }
            assertThat(again).isEqualTo(reference);
        }
    }
}
