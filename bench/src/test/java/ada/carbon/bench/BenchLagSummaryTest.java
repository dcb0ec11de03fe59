package ada.carbon.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The bench's progress lines sum Quiescence's per-partition report per consumer and topic. */
class BenchLagSummaryTest {
    @Test
    void sumsPartitionsPerTopicLargestFirst() {
        String behind = "aggregator ada.raw.cpu-0 at 10 of 110; aggregator ada.raw.cpu-1 at 0 of 50; "
                + "aggregator ada-carbon-aggregator-fact-deltas-repartition-1 at 5 of 1005; sink ada.facts-0 at 7 of 9; ";
        assertThat(CatchUp.brief(behind))
                .isEqualTo("1,152 records; aggregator ada-carbon-aggregator-fact-deltas-repartition"
                        + " 1,000, aggregator ada.raw.cpu 150, sink ada.facts 2");
    }

    @Test
    void keepsAnythingElseAsItIs() {
        assertThat(CatchUp.brief("offsets unavailable: timeout")).isEqualTo("offsets unavailable: timeout");
    }
}
