package ada.carbon.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** SPEC 2.2: half-hour slots at :00 and :30 UTC; an interval is split between them in proportion to time. */
class SlotsTest {
    private static final long MIN = 60_000L;

    private static long t(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    @Test
    void slotStartsAtTheHourAndTheHalfHour() {
        assertThat(Slots.SLOT_MILLIS).isEqualTo(30 * MIN);
        assertThat(Slots.slotStart(t("2025-09-11T10:00:00Z"))).isEqualTo(t("2025-09-11T10:00:00Z"));
        assertThat(Slots.slotStart(t("2025-09-11T10:29:59.999Z"))).isEqualTo(t("2025-09-11T10:00:00Z"));
        assertThat(Slots.slotStart(t("2025-09-11T10:30:00Z"))).isEqualTo(t("2025-09-11T10:30:00Z"));
        assertThat(Slots.slotStart(t("2025-09-11T10:59:00Z"))).isEqualTo(t("2025-09-11T10:30:00Z"));
    }

    @Test
    void slotStartFloorsBeforeTheEpoch() {
        assertThat(Slots.slotStart(-1)).isEqualTo(-30 * MIN);
        assertThat(Slots.slotStart(-30 * MIN)).isEqualTo(-30 * MIN);
        assertThat(Slots.slotStart(-30 * MIN - 1)).isEqualTo(-60 * MIN);
    }

    @Test
    void anIntervalInsideOneSlotIsOnePieceWithItsSecondsExactly() {
        long ts = t("2025-09-11T10:05:00Z");
        assertThat(Slots.split(ts, 300, 123.4, 3456.7))
                .containsExactly(new SlotPiece(t("2025-09-11T10:00:00Z"), ts, 123.4, 3456.7));
    }

    @Test
    void anIntervalEndingExactlyAtTheBoundaryMakesNoEmptyPiece() {
        long ts = t("2025-09-11T10:20:00Z");
        assertThat(Slots.split(ts, 600, 10.1, 20.2))
                .containsExactly(new SlotPiece(t("2025-09-11T10:00:00Z"), ts, 10.1, 20.2));
        long aligned = t("2025-09-11T10:30:00Z");
        assertThat(Slots.split(aligned, 1800, 0.3, 0.7)).containsExactly(new SlotPiece(aligned, aligned, 0.3, 0.7));
    }

    @Test
    void acrossTheHalfHourIsSplitInProportionToTime() {
        // 10:25 for 10 minutes: 5 minutes in each slot, 2 minutes = one fifth, and so on.
        List<SlotPiece> pieces = Slots.split(t("2025-09-11T10:25:00Z"), 600, 60, 600);
        assertThat(pieces)
                .containsExactly(
                        new SlotPiece(t("2025-09-11T10:00:00Z"), t("2025-09-11T10:25:00Z"), 30, 300),
                        new SlotPiece(t("2025-09-11T10:30:00Z"), t("2025-09-11T10:30:00Z"), 30, 300));
        List<SlotPiece> uneven = Slots.split(t("2025-09-11T10:28:00Z"), 600, 100, 1000);
        assertThat(uneven).hasSize(2);
        assertThat(uneven.get(0).busySeconds()).isCloseTo(20, within(1e-12));
        assertThat(uneven.get(0).idleSeconds()).isCloseTo(200, within(1e-12));
        assertThat(uneven.get(1).busySeconds()).isCloseTo(80, within(1e-12));
        assertThat(uneven.get(1).idleSeconds()).isCloseTo(800, within(1e-12));
        assertThat(uneven.get(1).pieceStart()).isEqualTo(t("2025-09-11T10:30:00Z"));
    }

    @Test
    void acrossTheHourGoesIntoTheNextHoursFirstSlot() {
        List<SlotPiece> pieces = Slots.split(t("2025-09-11T10:50:00Z"), 1200, 600, 1200);
        assertThat(pieces)
                .containsExactly(
                        new SlotPiece(t("2025-09-11T10:30:00Z"), t("2025-09-11T10:50:00Z"), 300, 600),
                        new SlotPiece(t("2025-09-11T11:00:00Z"), t("2025-09-11T11:00:00Z"), 300, 600));
    }

    @Test
    void aTwoHourIntervalIsSplitOverFiveSlots() {
        long ts = t("2025-09-11T10:15:00Z");
        List<SlotPiece> pieces = Slots.split(ts, 7200, 800, 8000);
        // 15 + 30 + 30 + 30 + 15 minutes: eighths and quarters, exact in binary.
        assertThat(pieces)
                .containsExactly(
                        new SlotPiece(t("2025-09-11T10:00:00Z"), ts, 100, 1000),
                        new SlotPiece(t("2025-09-11T10:30:00Z"), t("2025-09-11T10:30:00Z"), 200, 2000),
                        new SlotPiece(t("2025-09-11T11:00:00Z"), t("2025-09-11T11:00:00Z"), 200, 2000),
                        new SlotPiece(t("2025-09-11T11:30:00Z"), t("2025-09-11T11:30:00Z"), 200, 2000),
                        new SlotPiece(t("2025-09-11T12:00:00Z"), t("2025-09-11T12:00:00Z"), 100, 1000));
    }

    @Test
    void anAlignedHourIsTwoExactHalves() {
        long ts = t("2025-09-11T10:00:00Z");
        assertThat(Slots.split(ts, 3600, 8313.1, 28_564_580))
                .containsExactly(
                        new SlotPiece(ts, ts, 8313.1 / 2, 28_564_580 / 2.0),
                        new SlotPiece(ts + 30 * MIN, ts + 30 * MIN, 8313.1 / 2, 28_564_580 / 2.0));
    }

    @Test
    void beforeTheEpochSlotsFloorRatherThanTruncate() {
        // 1969-12-31T23:50Z for 20 minutes: 10 minutes in 23:30-00:00, 10 in 00:00-00:30.
        List<SlotPiece> pieces = Slots.split(-10 * MIN, 1200, 60, 120);
        assertThat(pieces).containsExactly(new SlotPiece(-30 * MIN, -10 * MIN, 30, 60), new SlotPiece(0, 0, 30, 60));
    }

    @Test
    void zeroSecondsStillMakePieces() {
        assertThat(Slots.split(t("2025-09-11T10:20:00Z"), 1200, 0, 0))
                .extracting(SlotPiece::busySeconds)
                .containsExactly(0.0, 0.0);
    }

    @Test
    void aPeriodThatIsNotPositiveIsRefused() {
        assertThatThrownBy(() -> Slots.split(0, 0, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("period_seconds");
        assertThatThrownBy(() -> Slots.split(0, -300, 1, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("period_seconds");
    }

    @Property(tries = 500)
    void piecesTileTheIntervalAndKeepItsSums(
            @ForAll @LongRange(min = -400_000_000_000L, max = 4_000_000_000_000L) long start,
            @ForAll @IntRange(min = 1, max = 200_000) int period,
            @ForAll @DoubleRange(min = 0, max = 1e7) double busy,
            @ForAll @DoubleRange(min = 0, max = 1e7) double idle) {
        List<SlotPiece> pieces = Slots.split(start, period, busy, idle);
        long end = start + period * 1000L;
        assertThat(pieces).isNotEmpty();
        double busySum = 0, idleSum = 0;
        long expectedSlot = Math.floorDiv(start, Slots.SLOT_MILLIS) * Slots.SLOT_MILLIS;
        for (SlotPiece p : pieces) {
            assertThat(p.slotStart()).isEqualTo(expectedSlot);
            assertThat(Math.floorMod(p.slotStart(), Slots.SLOT_MILLIS)).isZero();
            assertThat(p.pieceStart()).isEqualTo(Math.max(start, p.slotStart()));
            long overlap = Math.min(end, p.slotStart() + Slots.SLOT_MILLIS) - p.pieceStart();
            assertThat(overlap).isPositive();
            double share = (double) overlap / (period * 1000L);
            assertThat(p.busySeconds()).isCloseTo(busy * share, within(1e-9 * Math.max(1, busy)));
            assertThat(p.idleSeconds()).isCloseTo(idle * share, within(1e-9 * Math.max(1, idle)));
            assertThat(p.busySeconds()).isGreaterThanOrEqualTo(0);
            busySum += p.busySeconds();
            idleSum += p.idleSeconds();
            expectedSlot += Slots.SLOT_MILLIS;
        }
        assertThat(pieces.get(pieces.size() - 1).slotStart()).isLessThan(end);
        assertThat(pieces.get(pieces.size() - 1).slotStart() + Slots.SLOT_MILLIS)
                .isGreaterThanOrEqualTo(end);
        assertThat(busySum).isCloseTo(busy, within(1e-12 * Math.max(1, busy) * pieces.size()));
        assertThat(idleSum).isCloseTo(idle, within(1e-12 * Math.max(1, idle) * pieces.size()));
        if (pieces.size() == 1) {
            assertThat(pieces.get(0).busySeconds()).isEqualTo(busy);
            assertThat(pieces.get(0).idleSeconds()).isEqualTo(idle);
        }
    }
}
