package ada.carbon.aggregator;

import ada.carbon.aggregator.errors.PoisonRecords;
import ada.carbon.core.AccountingConfig;
import ada.carbon.schemas.Topics;

/**
 * What the topology is built from ({@link CarbonTopology#build}).
 *
 * @param accounting the power model, intensity fallback, grain and horizon
 * @param outputs where the results go: the live topics, or a reprocess run's own
 * @param hostPartitions how many host partitions there are: the raw cpu topic's partition count (SPEC 2.8)
 * @param poison the records that failed for a reason no rule foresaw, shared by every task and thread of the
 *               application, so that a task restarted without one finds it
 * @param observer told of each piece counted; tests inject failures there
 */
public record TopologyConfig(
        AccountingConfig accounting,
        Topics.Outputs outputs,
        int hostPartitions,
        PoisonRecords poison,
        PieceObserver observer) {
    public TopologyConfig {
        if (hostPartitions < 1) {
            throw new IllegalArgumentException("at least one host partition, not " + hostPartitions);
        }
    }

    /** One host partition, the live output topics, nothing observed. */
    public static TopologyConfig of(AccountingConfig accounting) {
        return new TopologyConfig(accounting, Topics.Outputs.LIVE, 1, new PoisonRecords(), PieceObserver.NONE);
    }

    public TopologyConfig withOutputs(Topics.Outputs outputs) {
        return new TopologyConfig(accounting, outputs, hostPartitions, poison, observer);
    }

    public TopologyConfig withHostPartitions(int hostPartitions) {
        return new TopologyConfig(accounting, outputs, hostPartitions, poison, observer);
    }

    public TopologyConfig withObserver(PieceObserver observer) {
        return new TopologyConfig(accounting, outputs, hostPartitions, poison, observer);
    }
}
