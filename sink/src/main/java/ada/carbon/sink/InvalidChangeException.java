package ada.carbon.sink;

/** A change that breaks the sink's expectations of its topic; it is logged and skipped, never stored. */
final class InvalidChangeException extends Exception {
    InvalidChangeException(String message) {
        super(message, null, false, false);
    }
}
