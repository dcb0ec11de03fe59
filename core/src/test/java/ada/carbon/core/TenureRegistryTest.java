package ada.carbon.core;

import static org.assertj.core.api.Assertions.assertThat;

import ada.carbon.schemas.InstanceLabel;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** SPEC 1.3 and 2.4: the latest tenure of every workspace, by host, and who holds a host when. */
class TenureRegistryTest {
    private static final String H1 = "host-172-16-100-116.nubes.stfc.ac.uk";
    private static final String H2 = "host-172-16-100-117.nubes.stfc.ac.uk";

    private static HostTenure tenure(String key, String owner, long created, Long deleted) {
        return new HostTenure(key, owner, created, deleted);
    }

    @Test
    void anEmptyRegistryHoldsNothing() {
        TenureRegistry registry = new TenureRegistry();
        assertThat(registry.size()).isZero();
        assertThat(registry.ownerAt(H1, 0)).isNull();
        assertThat(registry.endedBy(Long.MAX_VALUE)).isEmpty();
        assertThat(registry.remove("w1")).isEmpty();
    }

    @Test
    void theFirstPutOfAWorkspaceHasNoEarlierTenure() {
        TenureRegistry registry = new TenureRegistry();
        assertThat(registry.put(H1, tenure("w1", "alice", 100, null))).isEmpty();
        assertThat(registry.put(H1, tenure("w2", "bob", 50, null))).isEmpty();
        assertThat(registry.size()).isEqualTo(2);
    }

    @Test
    void aLaterPutReplacesTheWorkspacesEarlierTenureAndReturnsIt() {
        TenureRegistry registry = new TenureRegistry();
        HostTenure open = tenure("w1", "alice", 100, null);
        HostTenure closed = tenure("w1", "alice", 100, 200L);
        registry.put(H1, open);
        Optional<TenureRegistry.Placed> before = registry.put(H1, closed);
        assertThat(before).contains(new TenureRegistry.Placed(H1, open));
        assertThat(registry.size()).isEqualTo(1);
        // The replacement is what answers now: the workspace no longer holds the host from 200.
        assertThat(registry.ownerAt(H1, 199)).isEqualTo("alice");
        assertThat(registry.ownerAt(H1, 200)).isNull();
        assertThat(registry.put(H1, open)).contains(new TenureRegistry.Placed(H1, closed));
        assertThat(registry.ownerAt(H1, 200)).isEqualTo("alice");
    }

    @Test
    void aReplacementMayChangeTheOwner() {
        TenureRegistry registry = new TenureRegistry();
        registry.put(H1, tenure("w1", null, 0, null));
        assertThat(registry.ownerAt(H1, 10)).isNull();
        registry.put(H1, tenure("w1", "alice", 0, null));
        assertThat(registry.ownerAt(H1, 10)).isEqualTo("alice");
        registry.put(H1, tenure("w1", null, 0, null));
        assertThat(registry.ownerAt(H1, 10)).isNull();
        assertThat(registry.size()).isEqualTo(1);
    }

    @Test
    void aWorkspaceMovingHostLeavesItsOldHost() {
        TenureRegistry registry = new TenureRegistry();
        HostTenure onH1 = tenure("w1", "alice", 100, null);
        registry.put(H1, onH1);
        registry.put(H1, tenure("w2", "bob", 0, null));
        Optional<TenureRegistry.Placed> before = registry.put(H2, tenure("w1", "alice", 100, null));
        assertThat(before).contains(new TenureRegistry.Placed(H1, onH1));
        assertThat(registry.size()).isEqualTo(2);
        assertThat(registry.ownerAt(H1, 150)).isEqualTo("bob");
        assertThat(registry.ownerAt(H2, 150)).isEqualTo("alice");
        assertThat(registry.remove("w1")).map(TenureRegistry.Placed::host).contains(H2);
        assertThat(registry.ownerAt(H2, 150)).isNull();
    }

    @Test
    void removeForgetsTheWorkspaceAndReturnsWhereItWas() {
        TenureRegistry registry = new TenureRegistry();
        HostTenure t = tenure("w1", "alice", 0, null);
        registry.put(H1, t);
        registry.put(H2, tenure("w2", "bob", 0, null));
        assertThat(registry.remove("w1")).contains(new TenureRegistry.Placed(H1, t));
        assertThat(registry.size()).isEqualTo(1);
        assertThat(registry.ownerAt(H1, 10)).isNull();
        assertThat(registry.ownerAt(H2, 10)).isEqualTo("bob");
        assertThat(registry.remove("w1")).isEmpty();
        assertThat(registry.size()).isEqualTo(1);
        // A removed workspace can come back, as new.
        assertThat(registry.put(H1, t)).isEmpty();
        assertThat(registry.ownerAt(H1, 10)).isEqualTo("alice");
    }

    @Test
    void ownerAtIsTheHoldingWorkspaceWithinCreatedAndDeleted() {
        TenureRegistry registry = new TenureRegistry();
        registry.put(H1, tenure("w1", "alice", 100, 200L));
        assertThat(registry.ownerAt(H1, 99)).isNull();
        assertThat(registry.ownerAt(H1, 100)).isEqualTo("alice");
        assertThat(registry.ownerAt(H1, 199)).isEqualTo("alice");
        assertThat(registry.ownerAt(H1, 200)).isNull();
        assertThat(registry.ownerAt(H2, 150)).isNull();
    }

    @Test
    void theLaterCreatedWorkspaceWinsWhileBothHoldTheHost() {
        TenureRegistry registry = new TenureRegistry();
        registry.put(H1, tenure("z-early", "alice", 0, null));
        registry.put(H1, tenure("a-late", "bob", 100, 300L));
        assertThat(registry.ownerAt(H1, 99)).isEqualTo("alice");
        assertThat(registry.ownerAt(H1, 100)).isEqualTo("bob");
        assertThat(registry.ownerAt(H1, 299)).isEqualTo("bob");
        assertThat(registry.ownerAt(H1, 300)).isEqualTo("alice");
    }

    @Test
    void onATieOfCreatedTheGreaterWorkspaceKeyWinsWhicheverWasPutFirst() {
        TenureRegistry ab = new TenureRegistry();
        ab.put(H1, tenure("65f1c0de9a1b2c3d4e5f6a7a", "alice", 10, null));
        ab.put(H1, tenure("65f1c0de9a1b2c3d4e5f6a7b", "bob", 10, null));
        TenureRegistry ba = new TenureRegistry();
        ba.put(H1, tenure("65f1c0de9a1b2c3d4e5f6a7b", "bob", 10, null));
        ba.put(H1, tenure("65f1c0de9a1b2c3d4e5f6a7a", "alice", 10, null));
        assertThat(ab.ownerAt(H1, 10)).isEqualTo("bob");
        assertThat(ba.ownerAt(H1, 10)).isEqualTo("bob");
    }

    @Test
    void aPoolWorkspaceWithNoOwnerNeverCounts() {
        TenureRegistry registry = new TenureRegistry();
        registry.put(H1, tenure("pool", null, 0, null));
        assertThat(registry.ownerAt(H1, 10)).isNull();
        registry.put(H1, tenure("w1", "alice", 5, null));
        registry.put(H1, tenure("pool-later", null, 50, null));
        // Created later, but without an owner: alice keeps the host.
        assertThat(registry.ownerAt(H1, 60)).isEqualTo("alice");
        assertThat(registry.ownerAt(H1, 4)).isNull();
    }

    @Test
    void hostsAreKeptApart() {
        TenureRegistry registry = new TenureRegistry();
        registry.put(H1, tenure("w1", "alice", 0, null));
        registry.put(H2, tenure("w2", "bob", 10, null));
        assertThat(registry.ownerAt(H1, 20)).isEqualTo("alice");
        assertThat(registry.ownerAt(H2, 20)).isEqualTo("bob");
        assertThat(registry.ownerAt(H2, 5)).isNull();
    }

    @Test
    void labelsOfTheSameHostMeetUnderItsHostKey() {
        // SPEC 1.3: the host is compared without regard to case; callers key the registry by InstanceLabel.hostKey.
        TenureRegistry registry = new TenureRegistry();
        registry.put(
                InstanceLabel.hostKey("Host-172-16-100-116.NUBES.stfc.ac.uk:9100"), tenure("w1", "alice", 0, null));
        assertThat(registry.ownerAt(InstanceLabel.hostKey("host-172-16-100-116.nubes.stfc.ac.uk:9100"), 5))
                .isEqualTo("alice");
        assertThat(registry.ownerAt(InstanceLabel.hostKey("host-172-16-100-116.nubes.stfc.ac.uk"), 5))
                .isEqualTo("alice");
    }

    @Test
    void endedByListsTheWorkspacesDeletedAtOrBeforeTheTime() {
        TenureRegistry registry = new TenureRegistry();
        registry.put(H1, tenure("w1", "alice", 0, 100L));
        registry.put(H1, tenure("w2", "bob", 0, 200L));
        registry.put(H2, tenure("w3", null, 0, 150L));
        registry.put(H2, tenure("w4", "carol", 0, null));
        assertThat(registry.endedBy(99)).isEmpty();
        assertThat(registry.endedBy(100)).containsExactly("w1");
        assertThat(registry.endedBy(150)).containsExactlyInAnyOrder("w1", "w3");
        assertThat(registry.endedBy(Long.MAX_VALUE)).containsExactlyInAnyOrder("w1", "w2", "w3");
        // Reopened (its latest record has no deleted_time), it is no longer ended.
        registry.put(H1, tenure("w1", "alice", 0, null));
        assertThat(registry.endedBy(Long.MAX_VALUE)).containsExactlyInAnyOrder("w2", "w3");
        registry.remove("w2");
        assertThat(registry.endedBy(Long.MAX_VALUE)).containsExactly("w3");
    }

    @Test
    void theAnswersDoNotDependOnTheOrderOfPuts() {
        List<HostTenure> tenures = List.of(
                tenure("w1", "alice", 0, null),
                tenure("w2", "bob", 40, 90L),
                tenure("w3", "carol", 40, 70L),
                tenure("w4", null, 60, null),
                tenure("w5", "dave", 95, 95L));
        TenureRegistry forward = new TenureRegistry();
        tenures.forEach(t -> forward.put(H1, t));
        TenureRegistry backward = new TenureRegistry();
        for (int i = tenures.size() - 1; i >= 0; i--) {
            backward.put(H1, tenures.get(i));
        }
        for (long t = -5; t < 120; t++) {
            assertThat(backward.ownerAt(H1, t)).as("at %d", t).isEqualTo(forward.ownerAt(H1, t));
        }
        assertThat(forward.ownerAt(H1, 40)).isEqualTo("carol");
        assertThat(forward.ownerAt(H1, 70)).isEqualTo("bob");
        assertThat(forward.ownerAt(H1, 90)).isEqualTo("alice");
        assertThat(forward.ownerAt(H1, 95)).isEqualTo("alice");
    }

    /**
     * The registry remembers the owner over the last stretch asked about; whatever is put or removed in
     * between, every answer must be the one worked out from the tenures afresh.
     */
    @Test
    void answersStayRightAsTenuresComeAndGoBetweenQuestions() {
        java.util.Random random = new java.util.Random(20251124);
        TenureRegistry registry = new TenureRegistry();
        java.util.Map<String, HostTenure> current = new java.util.HashMap<>();
        java.util.Map<String, String> hostOf = new java.util.HashMap<>();
        String[] owners = {"alice", "bob", null};
        for (int step = 0; step < 20_000; step++) {
            int action = random.nextInt(10);
            String key = "w" + random.nextInt(12);
            if (action == 0) {
                registry.remove(key);
                current.remove(key);
                hostOf.remove(key);
            } else if (action <= 2) {
                long created = random.nextInt(200);
                Long deleted = random.nextBoolean() ? null : created + random.nextInt(100);
                String host = random.nextBoolean() ? H1 : H2;
                HostTenure t = tenure(key, owners[random.nextInt(owners.length)], created, deleted);
                registry.put(host, t);
                current.put(key, t);
                hostOf.put(key, host);
            } else {
                String host = random.nextBoolean() ? H1 : H2;
                long at = random.nextInt(320) - 10;
                List<HostTenure> onHost = current.values().stream()
                        .filter(t -> hostOf.get(t.workspaceKey()).equals(host))
                        .toList();
                assertThat(registry.ownerAt(host, at))
                        .as("step %d, %s at %d", step, host, at)
                        .isEqualTo(Attribution.ownerAt(onHost, at).orElse(null));
            }
        }
    }
}
