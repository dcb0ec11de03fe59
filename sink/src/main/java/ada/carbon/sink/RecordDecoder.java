package ada.carbon.sink;

import ada.carbon.schemas.AdaSerdes;
import ada.carbon.schemas.Topics;
import ada.carbon.sink.SinkChange.CpuLabelChange;
import ada.carbon.sink.SinkChange.FactChange;
import ada.carbon.sink.SinkChange.SlotChange;
import ada.carbon.sink.SinkChange.UserChange;
import ada.carbon.sink.SinkChange.WorkspaceChange;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;

/** Turns a record of one of the five output topics into the change it asks of the database. */
final class RecordDecoder {
    private final Topics.Outputs topics;

    RecordDecoder(Topics.Outputs topics) {
        this.topics = topics;
    }

    /**
     * @throws SerializationException if the key or value is not what its topic carries
     */
    SinkChange decode(ConsumerRecord<byte[], byte[]> r) {
        String topic = r.topic();
        if (topic.equals(topics.facts())) {
            return new FactChange(
                    AdaSerdes.FACT_ID.deserialize(topic, r.key()), AdaSerdes.FACT.deserialize(topic, r.value()));
        } else if (topic.equals(topics.slotIntensity())) {
            return new SlotChange(
                    AdaSerdes.SLOT_ID.deserialize(topic, r.key()),
                    AdaSerdes.SLOT_INTENSITY.deserialize(topic, r.value()));
        } else if (topic.equals(topics.workspaces())) {
            return new WorkspaceChange(string(topic, r.key()), AdaSerdes.WORKSPACE_EVENT.deserialize(topic, r.value()));
        } else if (topic.equals(topics.users())) {
            return new UserChange(string(topic, r.key()), AdaSerdes.USER_EVENT.deserialize(topic, r.value()));
        } else if (topic.equals(topics.cpuLabels())) {
            // The key repeats the value; the value alone says everything.
            return new CpuLabelChange(AdaSerdes.CPU_LABEL.deserialize(topic, r.value()));
        }
        throw new SerializationException("the sink does not read topic " + topic);
    }

    private static String string(String topic, byte[] key) {
        return AdaSerdes.STRING.deserializer().deserialize(topic, key);
    }
}
