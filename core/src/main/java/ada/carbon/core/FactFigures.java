package ada.carbon.core;

/** A fact row's figures (SPEC 2.5): the six sums, each rounded once, and the intensity. */
public record FactFigures(Metrics metrics, double intensity) {}
