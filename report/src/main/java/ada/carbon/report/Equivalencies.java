package ada.carbon.report;

import java.util.List;

/**
 * Carbon equivalencies: everyday things that emit (or absorb) as much CO2 as the platform did. Every factor
 * and its source is stated here once, and the report prints them beside the figures. They are illustrative:
 * the EPA's figures are for the United States, and each is revised from time to time; update the value and
 * the edition together.
 */
public final class Equivalencies {
    private Equivalencies() {}

    /**
     * One equivalency.
     *
     * @param id a stable name, used in the report's markup
     * @param label what one unit is, in the report's words
     * @param unit the unit counted (plural)
     * @param gramsPerUnit gCO2eq that one unit stands for
     * @param factor the factor as its source states it
     * @param source where the factor comes from
     * @param url the source's address, or null
     */
    public record Factor(
            String id, String label, String unit, double gramsPerUnit, String factor, String source, String url) {
        /** How many units {@code grams} of CO2eq is equivalent to. */
        public double units(double grams) {
            return grams / gramsPerUnit;
        }
    }

    private static final String EPA = "US EPA, Greenhouse Gas Equivalencies Calculator: Calculations and References";
    private static final String EPA_URL =
            "https://www.epa.gov/energy/greenhouse-gas-equivalencies-calculator-calculations-and-references";

    /** An average gasoline-powered passenger vehicle: 3.93 × 10⁻⁴ metric tons CO2E per mile (EPA). */
    public static final Factor MILES_DRIVEN = new Factor(
            "miles",
            "driven by an average gasoline-powered passenger car",
            "miles",
            393,
            "393 gCO2e per mile (3.93 × 10⁻⁴ t CO2E/mile)",
            EPA,
            EPA_URL);

    /** Charging one smartphone fully: 8.22 × 10⁻⁶ metric tons CO2 per charge (EPA). */
    public static final Factor SMARTPHONE_CHARGES = new Factor(
            "phones",
            "smartphone charges",
            "charges",
            8.22,
            "8.22 gCO2 per full charge (8.22 × 10⁻⁶ t CO2/charge)",
            EPA,
            EPA_URL);

    /** Burning one US gallon of motor gasoline: 8.887 × 10⁻³ metric tons CO2 (EPA). */
    public static final Factor GASOLINE_GALLONS = new Factor(
            "gasoline",
            "gallons of gasoline burned",
            "gallons",
            8887,
            "8,887 gCO2 per US gallon (8.887 × 10⁻³ t CO2/gallon)",
            EPA,
            EPA_URL);

    /**
     * A mature tree absorbing about 48 lb (≈ 22 kg) CO2 a year, the widely quoted rule of thumb (popularised by
     * the Arbor Day Foundation): 22,000 g / 365 days ≈ 60 g a day. Real uptake varies widely with species, age
     * and climate. No address: the figure is quoted in many places, none of them a primary measurement.
     */
    public static final Factor TREE_DAYS = new Factor(
            "trees",
            "days of CO2 uptake by one mature tree",
            "tree-days",
            60,
            "60 gCO2 per tree-day (≈ 22 kg CO2 a year ÷ 365)",
            "Rule of thumb: a mature tree absorbs about 48 lb (≈ 22 kg) CO2 a year (popularised by the Arbor Day"
                    + " Foundation); actual uptake varies widely with species, age and climate",
            null);

    /** In the order the report shows them. */
    public static final List<Factor> ALL = List.of(MILES_DRIVEN, SMARTPHONE_CHARGES, GASOLINE_GALLONS, TREE_DAYS);
}
