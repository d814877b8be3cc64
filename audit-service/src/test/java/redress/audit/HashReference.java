package redress.audit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The hashing of a chain verification alone, as a reference for {@link AuditBenchmark}: per entry
 * the leaf hash of an entry-sized buffer and the chain hash over the previous link and that leaf,
 * as the verifier computes them, on one thread, after a warm-up. Run in a JVM of its own with the
 * service's flags ({@link #measure}), so that it uses the same JIT as the service.
 */
final class HashReference {

    /** The flags the service runs with outside tests (local-run's LocalRun.startService). */
    static final List<String> SERVICE_FLAGS = List.of("-XX:+UseSerialGC", "-Xmx512m");

    private static final long WARM_UP_NANOS = 5_000_000_000L;
    private static final long MIN_MEASURE_NANOS = 5_000_000_000L;

    private HashReference() {}

    /** What a child JVM measured: entries per second, and the JVM flags it ran with. */
    record Result(double entriesPerSecond, String jvmFlags) {}

    /** Runs {@link #main} in a child JVM with {@link #SERVICE_FLAGS}; bounded by three minutes. */
    static Result measure(int entrySize, long entries) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(SERVICE_FLAGS);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(HashReference.class.getName());
        command.add(String.valueOf(entrySize));
        command.add(String.valueOf(entries));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        Double rate = null;
        String flags = null;
        StringBuilder out = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                out.append(line).append('\n');
                if (line.startsWith("entries/s ")) {
                    rate = Double.parseDouble(line.substring("entries/s ".length()));
                } else if (line.startsWith("jvm ")) {
                    flags = line.substring("jvm ".length());
                }
            }
        }
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("the hash reference did not end in 3 minutes:\n" + out);
        }
        if (p.exitValue() != 0 || rate == null) {
            throw new IllegalStateException("the hash reference failed (exit " + p.exitValue() + "):\n" + out);
        }
        return new Result(rate, flags);
    }

    /** Arguments: entry size in bytes, entries; prints {@code jvm <flags>} and {@code entries/s <rate>}. */
    public static void main(String[] args) throws Exception {
        int size = Integer.parseInt(args[0]);
        long entries = Long.parseLong(args[1]);
        System.out.println(
                "jvm " + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        byte[] canonical = new byte[size];
        byte[] leaf = new byte[32];
        byte[] chain = new byte[32];
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        MessageDigest link = MessageDigest.getInstance("SHA-256");
        long warmStart = System.nanoTime();
        long i = 0;
        while (System.nanoTime() - warmStart < WARM_UP_NANOS) {
            hashEntry(sha, link, canonical, leaf, chain, i++);
        }
        long start = System.nanoTime();
        long done = 0;
        while (done < entries || System.nanoTime() - start < MIN_MEASURE_NANOS) {
            hashEntry(sha, link, canonical, leaf, chain, done++);
        }
        double rate = done / ((System.nanoTime() - start) / 1e9);
        System.out.println("check " + chain[0]); // keeps the work observable
        System.out.printf("entries/s %.0f%n", rate);
    }

    /** leafHash = SHA-256(canonical); chainHash = SHA-256(previous chain || leaf), as the verifier does. */
    private static void hashEntry(
            MessageDigest sha, MessageDigest link, byte[] canonical, byte[] leaf, byte[] chain, long n)
            throws DigestException {
        canonical[0] = (byte) n;
        sha.update(canonical);
        sha.digest(leaf, 0, 32);
        link.update(chain);
        link.update(leaf);
        link.digest(chain, 0, 32);
    }
}
