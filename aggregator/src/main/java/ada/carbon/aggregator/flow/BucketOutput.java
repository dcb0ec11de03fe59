package ada.carbon.aggregator.flow;

import ada.carbon.avro.Fact;
import ada.carbon.avro.FactId;
import ada.carbon.avro.SlotId;
import ada.carbon.avro.SlotIntensity;

/** What the bucket stage writes: fact rows, fact_intensity rows, dead letters. */
public sealed interface BucketOutput permits BucketOutput.FactRow, BucketOutput.SlotRow, Rejected {

    /** @param fact null when the fact is gone (no piece is left in it) */
    record FactRow(FactId id, Fact fact) implements BucketOutput {}

    record SlotRow(SlotId id, SlotIntensity row) implements BucketOutput {}
}
