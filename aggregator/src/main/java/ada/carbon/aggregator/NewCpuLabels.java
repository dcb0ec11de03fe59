package ada.carbon.aggregator;

import ada.carbon.avro.CpuEvent;
import ada.carbon.avro.CpuLabel;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Passes on each (instance, project, machine) the first time this task sees it, so the dimensions are
 * fed once per label rather than once per cpu event. A label seen by two tasks goes out twice; the
 * sink's upsert makes that harmless.
 */
final class NewCpuLabels implements Processor<byte[], CpuEvent, CpuLabel, CpuLabel> {
    static final String STORE = "cpu-labels-seen-store";

    private ProcessorContext<CpuLabel, CpuLabel> context;
    private KeyValueStore<CpuLabel, Long> seen;

    @Override
    public void init(ProcessorContext<CpuLabel, CpuLabel> context) {
        this.context = context;
        this.seen = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<byte[], CpuEvent> record) {
        CpuEvent e = record.value();
        CpuLabel label = new CpuLabel(e.getInstance(), e.getCloudProjectName(), e.getMachineName());
        if (seen.putIfAbsent(label, e.getTs().toEpochMilli()) == null) {
            context.forward(record.withKey(label).withValue(label));
        }
    }
}
