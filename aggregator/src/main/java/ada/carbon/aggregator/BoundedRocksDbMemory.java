package ada.carbon.aggregator;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * One bounded pool of off-heap memory for all the aggregator's RocksDB stores, as the Kafka Streams
 * memory guide recommends: a shared block cache that also holds the index and filter blocks, with the
 * memtables charged to it. By default every store has its own 50 MB cache and up to three 16 MB
 * memtables, outside the heap and outside any limit; the host-slot store alone is written tens of
 * megabytes a minute in a backfill. The aggregator reads its stores only when a task starts (its state
 * is held in memory), so a small cache costs nothing.
 */
public final class BoundedRocksDbMemory implements RocksDBConfigSetter {
    static final long TOTAL_BYTES = 64L * 1024 * 1024;
    static final long MEMTABLE_BYTES = 32L * 1024 * 1024;
    private static final long MEMTABLE_SIZE = 8L * 1024 * 1024;
    /** Shared by every store of the JVM; never closed, it lives as long as the process. */
    private static final Cache CACHE = new LRUCache(TOTAL_BYTES, -1, false, 0.1);

    private static final WriteBufferManager WRITE_BUFFERS = new WriteBufferManager(MEMTABLE_BYTES, CACHE);

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(CACHE);
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(WRITE_BUFFERS);
        options.setWriteBufferSize(MEMTABLE_SIZE);
        options.setMaxWriteBufferNumber(2);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and the write buffer manager are shared: closing them here would pull them from the other stores.
    }
}
