package ada.carbon.core;

/** What the intensity data says of one slot; either figure may be null. */
public record SlotReading(long slotStart, Double forecast, Double actual, String index) {}
