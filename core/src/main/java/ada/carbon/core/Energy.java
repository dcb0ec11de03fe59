package ada.carbon.core;

/** Busy and idle kWh of some CPU time. */
public record Energy(double busyKwh, double idleKwh) {}
