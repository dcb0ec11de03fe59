package ada.carbon.sink;

/** The database could not apply a batch; the transaction was rolled back, so nothing of it is stored. */
public class SinkDatabaseException extends RuntimeException {
    public SinkDatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
