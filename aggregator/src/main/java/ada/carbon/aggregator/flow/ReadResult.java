package ada.carbon.aggregator.flow;

/** A raw record after reading and checking: the event, or its dead letter. */
public sealed interface ReadResult permits RawEvent, Rejected {}
