package ada.carbon.aggregator;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * A key-value store that holds its changes, as live objects, until the next commit, then writes them to
 * the store beneath (RocksDB and its changelog) in one go.
 *
 * <p>Why: the aggregator changes a host-slot's pieces with every cpu event of that host and half hour,
 * in place (it keeps them in memory, {@code OpenPieces}). Writing through would serialize and log the
 * host-slot per event; here it is once per host-slot and commit, with every change made to the object
 * until then.
 *
 * <p>Why an internal interface: Kafka Streams writes a store's pending changes to the changelog, inside
 * the transaction being committed, only through {@link CachedStateStore#flushCache} (the public
 * {@code StateStore.commit} runs after the transaction). {@link #clearCache} drops what an aborted
 * transaction must not keep.
 *
 * <p>Reads see the pending changes; a range or full scan writes them out first (the aggregator scans
 * only when it starts, to rebuild its memory).
 */
public final class WriteBackStore<K, V> implements KeyValueStore<K, V>, CachedStateStore<K, V> {
    private final KeyValueStore<K, V> inner;
    /** Changed since the last commit; a null value is a delete. */
    private final Map<K, V> pending = new HashMap<>();

    WriteBackStore(KeyValueStore<K, V> inner) {
        this.inner = inner;
    }

    /** Builds a write-back store over {@code inner} (which should log, and not cache: this is the cache). */
    public static <K, V> StoreBuilder<KeyValueStore<K, V>> over(StoreBuilder<KeyValueStore<K, V>> inner) {
        return new Builder<>(inner);
    }

    @Override
    public V get(K key) {
        return pending.containsKey(key) ? pending.get(key) : inner.get(key);
    }

    /** Keeps the value as the live object: later changes to it are written out too. A null value deletes. */
    @Override
    public void put(K key, V value) {
        pending.put(key, value);
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
        flushCache();
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
        pending.forEach((key, value) -> {
            if (value == null) {
                inner.delete(key);
            } else {
                inner.put(key, value);
            }
        });
        pending.clear();
    }

    @Override
    public void clearCache() {
        pending.clear();
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

    private record Builder<K, V>(StoreBuilder<KeyValueStore<K, V>> inner) implements StoreBuilder<KeyValueStore<K, V>> {
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
            return new Builder<>(inner.withLoggingEnabled(config));
        }

        @Override
        public StoreBuilder<KeyValueStore<K, V>> withLoggingDisabled() {
            return new Builder<>(inner.withLoggingDisabled());
        }

        @Override
        public KeyValueStore<K, V> build() {
            return new WriteBackStore<>(inner.build());
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
