package ada.carbon.core;

/**
 * What the pieces of one bucket are summed by before they become facts: one project, machine type and
 * owner (null: no user). A fact is the sum of the cells it covers ({@link FactLedger#factsOf}), so a piece
 * costs one cell update whatever the number of scopes, and the scopes add up by construction (SPEC 2.4:
 * ada = Σ project = Σ machine).
 */
public record Cell(String project, String machine, String owner) {}
