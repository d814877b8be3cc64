package redress.testsupport;

import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The PostgreSQL wire protocol as the driver (pgjdbc) speaks it during a call: its FINEST log of the
 * messages it sends ({@code FE=> Parse}, {@code Bind}, {@code Execute}, {@code Sync}, ...) and
 * receives ({@code <=BE CommandStatus}, {@code ReadyForQuery}, ...), each with the thread that
 * sent or read it. For tests that count statements and round trips (issue 30): a statement is an
 * {@code Execute}, a wait for the server a {@code Sync}. What each test counts is its own.
 */
public final class DriverLog {

    /** The driver's logger of protocol messages. */
    private static final String LOGGER = "org.postgresql.core.v3.QueryExecutorImpl";

    private DriverLog() {}

    /** One protocol message and the thread that sent or read it. */
    public record Message(String thread, String text) {}

    /** Every message the driver sent or read, on any thread, while {@code call} ran; in order. */
    public static List<Message> during(Runnable call) {
        Logger log = Logger.getLogger(LOGGER);
        List<Message> seen = Collections.synchronizedList(new ArrayList<>());
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                String m = r.getParameters() == null
                        ? r.getMessage()
                        : new MessageFormat(r.getMessage(), Locale.ROOT).format(r.getParameters());
                seen.add(new Message(Thread.currentThread().getName(), m.strip()));
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Level before = log.getLevel();
        log.addHandler(h);
        log.setLevel(Level.FINEST);
        try {
            call.run();
        } finally {
            log.setLevel(before);
            log.removeHandler(h);
        }
        synchronized (seen) {
            return List.copyOf(seen);
        }
    }

    /** The messages of the calling thread while {@code call} ran on it (blind to other threads). */
    public static List<String> onThisThread(Runnable call) {
        String thread = Thread.currentThread().getName();
        return during(call).stream()
                .filter(m -> m.thread().equals(thread))
                .map(Message::text)
                .toList();
    }

    /** The statements among {@code messages}: an {@code Execute} each (BEGIN and COMMIT included). */
    public static long statements(List<String> messages) {
        return messages.stream().filter(m -> m.startsWith("FE=> Execute")).count();
    }

    /** The waits for the server among {@code messages}: a {@code Sync} each. */
    public static long roundTrips(List<String> messages) {
        return messages.stream().filter(m -> m.startsWith("FE=> Sync")).count();
    }

    /**
     * The statements' text where sent, or the name of a statement the server has prepared, each cut
     * at {@code width} characters: for a failing test's message.
     */
    public static List<String> sql(List<String> messages, int width) {
        return messages.stream()
                .filter(m -> m.startsWith("FE=> Parse")
                        || m.startsWith("FE=> SimpleQuery")
                        || m.startsWith("FE=> Bind(stmt=S_"))
                .map(m -> m.length() > width ? m.substring(0, width) + "…" : m)
                .toList();
    }
}
