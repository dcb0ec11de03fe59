package ada.carbon.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the accounting relies on: changes reach the store beneath at a commit, and only then. */
class WriteBackStoreTest {
    private KeyValueStore<String, List<String>> inner;
    private KeyValueStore<String, List<String>> store;

    @BeforeEach
    void open() {
        @SuppressWarnings({"unchecked", "rawtypes"})
        org.apache.kafka.common.serialization.Serde<List<String>> lists =
                (org.apache.kafka.common.serialization.Serde) Serdes.ListSerde(ArrayList.class, Serdes.String());
        StoreBuilder<KeyValueStore<String, List<String>>> builder = Stores.keyValueStoreBuilder(
                        Stores.inMemoryKeyValueStore("pieces"), Serdes.String(), lists)
                .withLoggingDisabled();
        store = WriteBackStore.over(builder).build();
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        inner = innerOf(store);
    }

    @Test
    void aChangeReachesTheStoreBeneathAtTheCommitWithEveryLaterChangeToTheSameObject() {
        List<String> pieces = new ArrayList<>(List.of("a"));
        store.put("h|1", pieces);
        pieces.add("b"); // the live object changes after the put, as a host-slot does between events
        assertThat(inner.get("h|1")).as("not written before the commit").isNull();
        assertThat(store.get("h|1")).containsExactly("a", "b");

        flush();

        assertThat(inner.get("h|1")).containsExactly("a", "b");
        assertThat(store.get("h|1")).as("read back after the commit").containsExactly("a", "b");
    }

    @Test
    void anAbortedTransactionLeavesNothingBehind() {
        store.put("h|1", List.of("a"));
        flush();
        store.put("h|1", List.of("changed"));
        store.put("h|2", List.of("new"));

        ((WriteBackStore<String, List<String>>) store).clearCache();

        assertThat(store.get("h|1")).containsExactly("a");
        assertThat(store.get("h|2")).isNull();
    }

    @Test
    void deletesAreWrittenAtTheCommitAndSeenAtOnce() {
        store.put("h|1", List.of("a"));
        flush();
        assertThat(store.delete("h|1")).containsExactly("a");
        assertThat(store.get("h|1")).isNull();
        assertThat(inner.get("h|1")).as("not yet deleted beneath").containsExactly("a");
        flush();
        assertThat(inner.get("h|1")).isNull();
    }

    @Test
    void scansSeeTheChangesNotYetCommitted() {
        store.put("h|1", List.of("a"));
        store.put("h|2", List.of("b"));
        store.put("k|1", List.of("c"));
        List<String> keys = new ArrayList<>();
        try (var it = store.range("h|0", "h|9")) {
            it.forEachRemaining(kv -> keys.add(kv.key));
        }
        assertThat(keys).containsExactly("h|1", "h|2");
        store.delete("h|1");
        List<KeyValue<String, List<String>>> all = new ArrayList<>();
        try (var it = store.all()) {
            it.forEachRemaining(all::add);
        }
        assertThat(all).extracting(kv -> kv.key).containsExactly("h|2", "k|1");
    }

    @Test
    void aNullPutDeletesWithoutReadingBeneath() {
        store.put("h|1", List.of("a"));
        flush();
        store.put("h|1", null);
        assertThat(store.get("h|1")).isNull();
        flush();
        assertThat(inner.get("h|1")).isNull();
    }

    private void flush() {
        ((WriteBackStore<String, List<String>>) store).flushCache();
    }

    @SuppressWarnings("unchecked")
    private static KeyValueStore<String, List<String>> innerOf(KeyValueStore<String, List<String>> store) {
        try {
            var field = WriteBackStore.class.getDeclaredField("inner");
            field.setAccessible(true);
            return (KeyValueStore<String, List<String>>) field.get(store);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
