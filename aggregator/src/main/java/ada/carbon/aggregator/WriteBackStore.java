package ada.carbon.aggregator;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.internals.CacheFlushListener;
import org.apache.kafka.streams.state.internals.CachedStateStore;

/**
 * A key-value store that keeps the values it hands out as live objects until the next commit, then
 * writes the changed ones to the store beneath (RocksDB and its changelog) in one go.
 *
 * <p>Why: a host-slot's pieces are read and rewritten by every cpu event of that host and half hour.
 * Through Kafka Streams' record cache that is a deserialization and a serialization per event, which
 * was half of the aggregator's time; here it is one of each per host-slot and commit.
 *
 * <p>Why an internal interface: Kafka Streams writes a store's pending changes to the changelog, inside
 * the transaction being committed, only through {@link CachedStateStore#flushCache} (the public
 * {@code StateStore.commit} runs after the transaction). {@link #clearCache} drops what an aborted
 * transaction must not keep.
 *
 * <p>Keys fall in groups (a host's slots), and a range query stays within one group: it writes that
 * group's pending changes first, so it sees everything, without writing out the rest. A workspace record
 * re-attributes one host, and pruning walks host by host, so neither empties the whole cache.
 */
final class WriteBackStore<K, V> implements KeyValueStore<K, V>, CachedStateStore<K, V> {
    private final KeyValueStore<K, V> inner;
    private final Function<K, ?> groupOf;
    private final Map<K, V> live = new HashMap<>();
    private final Map<Object, Set<K>> changedByGroup = new HashMap<>();

    WriteBackStore(KeyValueStore<K, V> inner, Function<K, ?> groupOf) {
        this.inner = inner;
        this.groupOf = groupOf;
    }

    /**
     * Builds a write-back store over {@code inner} (which should log, and not cache: this is the cache).
     *
     * @param groupOf the group of a key; a range query's two ends must be in one group
     */
    static <K, V> StoreBuilder<KeyValueStore<K, V>> over(StoreBuilder<KeyValueStore<K, V>> inner,
                                                         Function<K, ?> groupOf) {
        return new Builder<>(inner, groupOf);
    }

    @Override
    public V get(K key) {
        V value = live.get(key);
        if (value == null && !live.containsKey(key)) {
            value = inner.get(key);
            live.put(key, value);
        }
        return value;
    }

    /** Keeps the value as the live object: later changes to it are written out too. */
    @Override
    public void put(K key, V value) {
        live.put(key, value);
        changedByGroup.computeIfAbsent(groupOf.apply(key), g -> new HashSet<>()).add(key);
    }

    @Override
    public V putIfAbsent(K key, V value) {
        V before = get(key);
        if (before == null) {
            put(key, value);
        }
        return before;
    }

    @Override
    public void putAll(List<KeyValue<K, V>> entries) {
        entries.forEach(kv -> put(kv.key, kv.value));
    }

    @Override
    public V delete(K key) {
        V before = get(key);
        put(key, null);
        return before;
    }

    @Override
    public KeyValueIterator<K, V> range(K from, K to) {
        Object group = groupOf.apply(from);
        if (!group.equals(groupOf.apply(to))) {
            throw new IllegalArgumentException("a range query stays within one group: " + from + " to " + to);
        }
        writeOut(changedByGroup.remove(group));
        return inner.range(from, to);
    }

    @Override
    public KeyValueIterator<K, V> all() {
        flushCache();
        return inner.all();
    }

    @Override
    public long approximateNumEntries() {
        return inner.approximateNumEntries();
    }

    @Override
    public void flushCache() {
        changedByGroup.values().forEach(this::writeOut);
        changedByGroup.clear();
        live.clear();
    }

    private void writeOut(Set<K> keys) {
        if (keys == null) {
            return;
        }
        for (K key : keys) {
            V value = live.get(key);
            if (value == null) {
                inner.delete(key);
            } else {
                inner.put(key, value);
            }
        }
    }

    @Override
    public void clearCache() {
        changedByGroup.clear();
        live.clear();
    }

    @Override
    public boolean setFlushListener(CacheFlushListener<K, V> listener, boolean sendOldValues) {
        return false;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public void init(StateStoreContext context, StateStore root) {
        inner.init(context, root);
    }

    @Override
    public void commit(Map<TopicPartition, Long> changelogOffsets) {
        flushCache();
        inner.commit(changelogOffsets);
    }

    @Override
    public void close() {
        clearCache();
        inner.close();
    }

    @Override
    public boolean persistent() {
        return inner.persistent();
    }

    @Override
    public boolean isOpen() {
        return inner.isOpen();
    }

    @Override
    public Long committedOffset(TopicPartition partition) {
        return inner.committedOffset(partition);
    }

    @Override
    public org.apache.kafka.streams.query.Position getPosition() {
        return inner.getPosition();
    }

    private record Builder<K, V>(StoreBuilder<KeyValueStore<K, V>> inner, Function<K, ?> groupOf)
            implements StoreBuilder<KeyValueStore<K, V>> {
        @Override
        public StoreBuilder<KeyValueStore<K, V>> withCachingEnabled() {
            throw new UnsupportedOperationException("a write-back store is its own cache");
        }

        @Override
        public StoreBuilder<KeyValueStore<K, V>> withCachingDisabled() {
            return this;
        }

        @Override
        public StoreBuilder<KeyValueStore<K, V>> withLoggingEnabled(Map<String, String> config) {
            return new Builder<>(inner.withLoggingEnabled(config), groupOf);
        }

        @Override
        public StoreBuilder<KeyValueStore<K, V>> withLoggingDisabled() {
            return new Builder<>(inner.withLoggingDisabled(), groupOf);
        }

        @Override
        public KeyValueStore<K, V> build() {
            return new WriteBackStore<>(inner.build(), groupOf);
        }

        @Override
        public Map<String, String> logConfig() {
            return inner.logConfig();
        }

        @Override
        public boolean loggingEnabled() {
            return inner.loggingEnabled();
        }

        @Override
        public String name() {
            return inner.name();
        }
    }
}
