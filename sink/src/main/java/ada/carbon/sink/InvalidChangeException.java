package ada.carbon.sink;

/** A change that breaks the sink's expectations of its topic; it is logged and skipped, never stored. */
final class InvalidChangeException extends Exception {
    InvalidChangeException(String message) {
        super(message, null, false, false);
    }

    /** Throws when a SPEC 2.7 rule ({@code EventRules}) is broken: the sink checks its input as ingest does. */
    static void unless(java.util.Optional<String> violation) throws InvalidChangeException {
        if (violation.isPresent()) {
            throw new InvalidChangeException(violation.get());
        }
    }
}
