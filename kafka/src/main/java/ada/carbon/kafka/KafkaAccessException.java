package ada.carbon.kafka;

/**
 * The cluster refused this command: its credentials (authentication failed for user X) or its ACLs (not
 * authorized to READ group Y). The message says which, and who the cluster saw.
 */
public final class KafkaAccessException extends RuntimeException {
    public KafkaAccessException(String message, Throwable cause) {
        super(message, cause);
    }

    public KafkaAccessException(String message) {
        super(message);
    }
}
