package ada.carbon.aggregator.validation;

/** A raw record after validation: the event, or the reason it is refused. Never leaves the topology. */
public record Checked<T>(T value, String reason, String detail) {

    public static <T> Checked<T> accepted(T value) {
        return new Checked<>(value, null, null);
    }

    public static <T> Checked<T> rejected(String reason, String detail) {
        return new Checked<>(null, reason, detail);
    }

    public boolean ok() {
        return reason == null;
    }
}
