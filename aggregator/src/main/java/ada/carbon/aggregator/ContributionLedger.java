package ada.carbon.aggregator;

import ada.carbon.avro.FactId;
import ada.carbon.avro.internal.ContributionRecord;
import ada.carbon.avro.internal.FactDelta;
import ada.carbon.avro.internal.HostSlotContributions;
import ada.carbon.avro.internal.HostSlotKey;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Turns a host-slot's current contributions into signed deltas per fact: what it adds now (+1) and what
 * it added before (-1). This is how one host-slot can feed several facts of several scopes (a KTable
 * groupBy maps a row to one key only) while every change still retracts and re-adds.
 * New contributions go out before the retractions, so a fact never passes through "empty" on a restatement.
 */
final class ContributionLedger implements Processor<HostSlotKey, HostSlotContributions, FactId, FactDelta> {
    static final String STORE = "contribution-ledger-store";

    private ProcessorContext<FactId, FactDelta> context;
    private KeyValueStore<HostSlotKey, HostSlotContributions> ledger;
    private org.apache.kafka.common.metrics.Sensor restatements;

    @Override
    public void init(ProcessorContext<FactId, FactDelta> context) {
        this.context = context;
        this.ledger = context.getStateStore(STORE);
        this.restatements = PipelineSensors.restatements(context.metrics());
    }

    @Override
    public void process(Record<HostSlotKey, HostSlotContributions> record) {
        HostSlotContributions before = ledger.get(record.key());
        HostSlotContributions now = record.value();
        if (now != null && now.equals(before)) {
            return;
        }
        emit(record, now, +1);
        emit(record, before, -1);
        if (before != null) {
            restatements.record();
        }
        if (now == null || now.getContributions().isEmpty()) {
            ledger.delete(record.key());
        } else {
            ledger.put(record.key(), now);
        }
    }

    private void emit(Record<HostSlotKey, HostSlotContributions> record, HostSlotContributions contributions, int sign) {
        if (contributions == null) {
            return;
        }
        List<ContributionRecord> list = contributions.getContributions();
        for (ContributionRecord c : list) {
            context.forward(record.withKey(StateMapping.factId(c)).withValue(new FactDelta(sign, c)));
        }
    }
}
