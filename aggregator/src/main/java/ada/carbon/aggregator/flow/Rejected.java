package ada.carbon.aggregator.flow;

/**
 * A record on its way to the dead-letter topic: its original bytes; the reason, detail and origin travel in
 * the record's headers ({@link ada.carbon.schemas.DeadLetter#headers}).
 */
public record Rejected(byte[] key, byte[] value) implements ReadResult, HostOutput, BucketOutput {}
