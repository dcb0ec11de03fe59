package ada.carbon.aggregator.validation;

/** A raw record after validation: the event, or the reason it is refused. Never leaves the topology. */
public record Checked<T>(T value, byte[] original, String reason, String detail) {

    public static <T> Checked<T> accepted(T value, byte[] original) {
        return new Checked<>(value, original, null, null);
    }

    public static <T> Checked<T> rejected(byte[] original, String reason, String detail) {
        return new Checked<>(null, original, reason, detail);
    }

    public boolean ok() {
        return reason == null;
    }
}
