package ada.carbon.aggregator.codec;

import ada.carbon.core.CellSums;
import ada.carbon.schemas.BinaryCursor;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** The bucket stage's stored sums of a cell: {@link Binary#sums}. */
public final class CellSumsSerde {
    public static final Serde<CellSums> SERDE = Serdes.serdeFrom(
            (topic, sums) -> {
                if (sums == null) {
                    return null;
                }
                BinaryCursor.Writer out = new BinaryCursor.Writer(64);
                Binary.sums(out, sums);
                return out.toArray();
            },
            (topic, bytes) -> bytes == null ? null : Binary.sums(new BinaryCursor(bytes, 0)));

    private CellSumsSerde() {}
}
