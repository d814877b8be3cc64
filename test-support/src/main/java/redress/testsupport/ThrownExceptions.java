package redress.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * The exceptions constructed in this JVM, on any thread, while a piece of test code runs, read
 * from a flight recording of JFR's {@code jdk.JavaExceptionThrow} event. For tests that a hot path
 * does not throw and catch exceptions as a matter of course (filling in a stack trace is among the
 * dearest things a JVM does): the system benchmark found Hibernate doing that once per complaint.
 */
public final class ThrownExceptions {

    /** One exception: its class, its message, the thread, and the first few frames of its stack in redress code. */
    public record Thrown(String type, String message, String thread, List<String> redressFrames) {

        @Override
        public String toString() {
            return type + ": " + message + " on " + thread + " at " + String.join(" <- ", redressFrames);
        }
    }

    private ThrownExceptions() {}

    /** The exceptions of the types named (by class name prefix) constructed while {@code code} ran. */
    public static List<Thrown> during(Runnable code, String typePrefix) {
        try (Recording recording = new Recording()) {
            recording.enable("jdk.JavaExceptionThrow").withStackTrace();
            recording.start();
            code.run();
            recording.stop();
            Path file = Files.createTempFile("thrown", ".jfr");
            try {
                recording.dump(file);
                return RecordingFile.readAllEvents(file).stream()
                        .filter(e -> e.getEventType().getName().equals("jdk.JavaExceptionThrow"))
                        .map(ThrownExceptions::thrown)
                        .filter(t -> t.type().startsWith(typePrefix))
                        .toList();
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Thrown thrown(RecordedEvent e) {
        String type = e.getClass("thrownClass") == null
                ? "?"
                : e.getClass("thrownClass").getName();
        List<String> frames = e.getStackTrace() == null
                ? List.of()
                : e.getStackTrace().getFrames().stream()
                        .map(ThrownExceptions::frame)
                        .filter(f ->
                                f.startsWith("redress.") && !f.contains("_Subclass") && !f.contains("_ClientProxy"))
                        .limit(4)
                        .collect(Collectors.toList());
        RecordedThread eventThread = e.getThread("eventThread");
        String thread = eventThread == null ? "?" : eventThread.getJavaName();
        return new Thrown(type, e.getString("message"), thread, frames);
    }

    private static String frame(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName() + ":" + f.getLineNumber();
    }
}
