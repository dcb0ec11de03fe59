package ada.carbon.core;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Every piece of every open bucket, by host and slot: what a correction, a re-attribution or pruning
 * looks up. Held in memory (bounded by the horizon: hosts × slots of the open buckets), so the cpu path
 * never reads a store; the aggregator's store of host-slots is its durable copy, read only at start.
 */
public final class OpenPieces {
    /** Slot first: the few hundred slots of the horizon are a small, hot tree; hosts are then a hash lookup. */
    private final NavigableMap<Long, Map<String, HostSlotPieces>> bySlot = new TreeMap<>();
    /** The last slot looked up: a backfill sends every host's events of one slot before the next slot's. */
    private long lastSlot = Long.MIN_VALUE;

    private Map<String, HostSlotPieces> lastHosts;

    /** The host's pieces in the slot, or null when it has none. */
    public HostSlotPieces get(String host, long slotStart) {
        Map<String, HostSlotPieces> hosts = hostsIn(slotStart, false);
        return hosts == null ? null : hosts.get(host);
    }

    /** The host's pieces in the slot, an empty set of them made and kept if it has none yet. */
    public HostSlotPieces getOrAdd(String host, long slotStart) {
        Map<String, HostSlotPieces> hosts = hostsIn(slotStart, true);
        HostSlotPieces pieces = hosts.get(host);
        if (pieces == null) {
            pieces = new HostSlotPieces(slotStart);
            hosts.put(host, pieces);
        }
        return pieces;
    }

    /** Puts a host-slot as it was stored (a start or restore). */
    public void put(String host, HostSlotPieces pieces) {
        hostsIn(pieces.slotStart(), true).put(host, pieces);
    }

    private Map<String, HostSlotPieces> hostsIn(long slotStart, boolean make) {
        if (slotStart != lastSlot || lastHosts == null) {
            Map<String, HostSlotPieces> hosts =
                    make ? bySlot.computeIfAbsent(slotStart, s -> new HashMap<>()) : bySlot.get(slotStart);
            if (hosts == null) {
                return null;
            }
            lastSlot = slotStart;
            lastHosts = hosts;
        }
        return lastHosts;
    }

    /** The host's slots from {@code fromSlot} on, in time order. */
    public List<HostSlotPieces> from(String host, long fromSlot) {
        List<HostSlotPieces> slots = new ArrayList<>();
        for (Map<String, HostSlotPieces> hosts : bySlot.tailMap(fromSlot, true).values()) {
            HostSlotPieces pieces = hosts.get(host);
            if (pieces != null) {
                slots.add(pieces);
            }
        }
        return slots;
    }

    /** Forgets every host-slot before {@code slotStart}; returns them, for whoever keeps a copy. */
    public List<HostSlotId> dropBefore(long slotStart) {
        List<HostSlotId> dropped = new ArrayList<>();
        NavigableMap<Long, Map<String, HostSlotPieces>> old = bySlot.headMap(slotStart, false);
        old.forEach((slot, hosts) -> hosts.keySet().forEach(host -> dropped.add(new HostSlotId(host, slot))));
        old.clear();
        if (lastSlot < slotStart) {
            lastHosts = null;
        }
        return dropped;
    }

    public int hostSlots() {
        return bySlot.values().stream().mapToInt(Map::size).sum();
    }
}
