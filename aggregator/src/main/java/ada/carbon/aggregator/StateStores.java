package ada.carbon.aggregator;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/** How the stages' stores are made. */
public final class StateStores {
    private StateStores() {}

    /**
     * RocksDB (its memory bounded by {@link BoundedRocksDbMemory}), changelogged, with Kafka Streams' record
     * cache in front, so that repeated updates of a key between commits fold into one write.
     */
    public static <K, V> StoreBuilder<KeyValueStore<K, V>> cached(String name, Serde<K> keys, Serde<V> values) {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name), keys, values)
                .withCachingEnabled();
    }
}
