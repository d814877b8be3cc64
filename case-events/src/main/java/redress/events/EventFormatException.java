package redress.events;

/**
 * A record that is not a Redress CloudEvent we can read, and never will be: bad JSON, a missing
 * attribute, a schema version newer than this reader. Consumers dead-letter it.
 */
public class EventFormatException extends RuntimeException {
    public EventFormatException(String message) {
        super(message);
    }

    public EventFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
