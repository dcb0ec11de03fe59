package ada.carbon.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The host stage's sums: what it tells changed, and the sums it sends on. */
class CellLedgerTest {
    private static final long T0 = Instant.parse("2025-09-11T10:00:00Z").toEpochMilli();
    private static final long T30 = T0 + 30 * 60_000L;
    private static final long T60 = T0 + 60 * 60_000L;

    private static UsagePiece piece(String host, long slot, String project, double busy, String owner) {
        return new UsagePiece(host + ":9100", slot, 300, project, "Muon", slot, slot, busy, 10, owner);
    }

    private record Told(long bucket, Cell cell) {}

    @Test
    void aCellIsToldOncePerRoundAndAgainAfterTheChangesWereTaken() {
        CellLedger ledger = new CellLedger(AccountingConfig.defaults());
        ledger.add("h0", piece("h0", T0, "IDAaaS", 1, "alice")); // before anyone listens
        List<Told> told = new ArrayList<>();
        ledger.listen((bucket, cell) -> told.add(new Told(bucket, cell)));
        ledger.add("h1", piece("h1", T0, "IDAaaS", 1, "alice"));
        ledger.add("h2", piece("h2", T30, "IDAaaS", 2, "alice"));
        ledger.add("h3", piece("h3", T0, "CDAaaS", 3, null));
        assertThat(told)
                .containsExactly(
                        new Told(T0, new Cell("IDAaaS", "Muon", "alice")),
                        new Told(T0, new Cell("CDAaaS", "Muon", null)));

        told.clear();
        ledger.changesTaken();
        ledger.add("h4", piece("h4", T0, "IDAaaS", 1, "alice"));
        ledger.add("h5", piece("h5", T60, "IDAaaS", 1, "alice"));
        assertThat(told)
                .containsExactly(
                        new Told(T0, new Cell("IDAaaS", "Muon", "alice")),
                        new Told(T60, new Cell("IDAaaS", "Muon", "alice")));
    }

    @Test
    void theSumsAreTheCellsExactSumsSlotBySlotAndEmptyOnceItsLastPieceIsGone() {
        CellLedger ledger = new CellLedger(AccountingConfig.defaults());
        UsagePiece a = piece("h1", T0, "IDAaaS", 0.1, "alice");
        UsagePiece b = piece("h2", T0, "IDAaaS", 0.2, "alice");
        UsagePiece c = piece("h1", T30, "IDAaaS", 0.7, "alice");
        ledger.add("h1", a);
        ledger.add("h2", b);
        ledger.add("h1", c);
        Cell alice = new Cell("IDAaaS", "Muon", "alice");
        CellSums sums = ledger.sums(T0, alice).orElseThrow();
        assertThat(sums.slotCount()).isEqualTo(2);
        assertThat(sums.pieces(0)).isEqualTo(2);
        assertThat(sums.pieces(1)).isEqualTo(1);
        assertThat(sums.slot(0).busySeconds().doubleValue()).isEqualTo(0.1 + 0.2); // rounded once: 0.30000000000000004
        assertThat(sums.slot(1).busyKwh().doubleValue()).isEqualTo(0.7 * 12 / 3_600_000);

        ledger.reattribute("h1", c, "bob");
        assertThat(ledger.sums(T0, alice).orElseThrow().slot(1)).isNull();
        assertThat(ledger.sums(T0, new Cell("IDAaaS", "Muon", "bob"))
                        .orElseThrow()
                        .pieces(1))
                .isEqualTo(1);
        ledger.retract("h1", a);
        ledger.retract("h2", b);
        assertThat(ledger.sums(T0, alice)).isEmpty();
        assertThat(ledger.cellCount()).isEqualTo(1);
    }

    @Test
    void hostCountsAreTheDistinctHostsOfEachFactsPiecesAndTheHostTimeTheyCover() {
        CellLedger ledger = new CellLedger(AccountingConfig.defaults());
        ledger.add("h1", piece("h1", T0, "IDAaaS", 1, "alice"));
        ledger.add(
                "h1",
                new UsagePiece(
                        "h1:9100",
                        T0 + 300_000,
                        300,
                        "IDAaaS",
                        "Muon",
                        T0,
                        T0 + 300_000,
                        1,
                        10,
                        "alice")); // the same host again
        ledger.add("h1", piece("h1", T30, "CDAaaS", 1, null)); // the same host, another cell
        ledger.add("h2", piece("h2", T0, "IDAaaS", 1, "bob"));
        assertThat(ledger.hostCounts(T0))
                .containsEntry(new FactKey(Scope.ADA, T0, null), 2)
                .containsEntry(new FactKey(Scope.PROJECT, T0, "IDAaaS"), 2)
                .containsEntry(new FactKey(Scope.PROJECT, T0, "CDAaaS"), 1)
                .containsEntry(new FactKey(Scope.MACHINE, T0, "Muon"), 2)
                .containsEntry(new FactKey(Scope.USER, T0, "alice"), 1)
                .containsEntry(new FactKey(Scope.USER, T0, "bob"), 1);
        // Three 5-minute pieces of alice's cell in the first slot: 600 s of host time in all (two pieces of h1).
        assertThat(ledger.sums(T0, new Cell("IDAaaS", "Muon", "alice"))
                        .orElseThrow()
                        .slot(0)
                        .hostMillis())
                .isEqualTo(600_000);
        ledger.retract("h2", piece("h2", T0, "IDAaaS", 1, "bob"));
        assertThat(ledger.hostCounts(T0))
                .containsEntry(new FactKey(Scope.ADA, T0, null), 1)
                .doesNotContainKey(new FactKey(Scope.USER, T0, "bob"));
    }

    @Test
    void aSnapshotDoesNotChangeWhenTheLedgerDoes() {
        CellLedger ledger = new CellLedger(AccountingConfig.defaults());
        Cell cell = new Cell("IDAaaS", "Muon", null);
        ledger.add("h1", piece("h1", T0, "IDAaaS", 5, null));
        CellSums before = ledger.sums(T0, cell).orElseThrow();
        ledger.add("h2", piece("h2", T0, "IDAaaS", 7, null));
        assertThat(before.slot(0).busySeconds().doubleValue()).isEqualTo(5.0);
        assertThat(ledger.sums(T0, cell).orElseThrow().slot(0).busySeconds().doubleValue())
                .isEqualTo(12.0);
    }
}
