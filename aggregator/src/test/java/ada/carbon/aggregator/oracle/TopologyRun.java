package ada.carbon.aggregator.oracle;

import ada.carbon.aggregator.TopologyHarness;
import ada.carbon.core.AccountingConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The topology's output in the oracle's row types, read through the shared {@link TopologyHarness}. */
final class TopologyRun implements AutoCloseable {
    private final TopologyHarness harness;
    private int deadLetters;

    TopologyRun(AccountingConfig config) {
        harness = new TopologyHarness(config);
    }

    TopologyRun send(List<?> events) {
        harness.send(events);
        return this;
    }

    /** The facts topic as a table, in the oracle's terms. */
    Map<SpecOracle.FactKey, SpecOracle.FactRow> facts() {
        Map<SpecOracle.FactKey, SpecOracle.FactRow> out = new HashMap<>();
        harness.facts().forEach((k, f) -> {
            if (!k.getScope().equals(f.getScope())
                    || !k.getTs().equals(f.getTs())
                    || !java.util.Objects.equals(k.getEntity(), f.getEntity())) {
                throw new AssertionError("fact value " + f + " under a different key " + k);
            }
            out.put(
                    new SpecOracle.FactKey(k.getScope(), k.getTs().toEpochMilli(), k.getEntity()),
                    SpecOracle.FactRow.of(f));
        });
        return out;
    }

    /** The slot-intensity topic as a table, in the oracle's terms. */
    Map<Long, SpecOracle.SlotRow> slots() {
        Map<Long, SpecOracle.SlotRow> out = new HashMap<>();
        harness.slots().forEach((k, s) -> out.put(k.getTs().toEpochMilli(), SpecOracle.SlotRow.of(s)));
        return out;
    }

    /** How many records went to the dead-letter topic so far. */
    int deadLetters() {
        deadLetters += harness.deadLetters().size();
        return deadLetters;
    }

    @Override
    public void close() {
        harness.close();
    }
}
