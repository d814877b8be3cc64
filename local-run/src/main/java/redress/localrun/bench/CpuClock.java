package redress.localrun.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * CPU time from the operating system's own counters ({@code /proc}, Linux): a process's user and
 * system time, all its threads included, and for a server that forks (PostgreSQL) the whole tree:
 * the postmaster, every live descendant and the children it has already reaped (their time is added
 * to the parent's {@code cutime}/{@code cstime} when they exit, so a backend that ends between two
 * readings is still counted).
 */
final class CpuClock {

    /** Clock ticks per second of {@code /proc}'s times (USER_HZ); 100 on every Linux in use. */
    static final double TICKS_PER_SECOND = ticksPerSecond();

    private CpuClock() {}

    /** A process's own CPU seconds (every thread), or empty if it is gone. */
    static Optional<Double> process(ProcessHandle p) {
        return stat(p.pid()).map(f -> (f[0] + f[1]) / TICKS_PER_SECOND);
    }

    /**
     * The CPU seconds of a process tree: the root's own time, the time of the children it reaped,
     * and every live descendant's own time (and what they reaped in turn).
     */
    static Optional<Double> tree(ProcessHandle root) {
        Optional<long[]> own = stat(root.pid());
        if (own.isEmpty()) {
            return Optional.empty();
        }
        long ticks = own.get()[0] + own.get()[1] + own.get()[2] + own.get()[3];
        for (ProcessHandle d : (Iterable<ProcessHandle>) root.descendants()::iterator) {
            Optional<long[]> s = stat(d.pid());
            if (s.isPresent()) {
                ticks += s.get()[0] + s.get()[1] + s.get()[2] + s.get()[3];
            }
        }
        return Optional.of(ticks / TICKS_PER_SECOND);
    }

    /**
     * The CPU seconds of a JVM's just-in-time compiler threads (HotSpot names them "C1 CompilerThre…"
     * and "C2 CompilerThre…"), read per thread from {@code /proc/<pid>/task}; zero for a process that
     * has none. Threads that have ended are not counted.
     */
    static double compilerThreads(ProcessHandle p) {
        Path tasks = Path.of("/proc", Long.toString(p.pid()), "task");
        double seconds = 0;
        try (var ids = Files.list(tasks)) {
            for (Path task : (Iterable<Path>) ids::iterator) {
                try {
                    String s = Files.readString(task.resolve("stat"));
                    String comm = s.substring(s.indexOf('(') + 1, s.lastIndexOf(')'));
                    if (comm.contains("CompilerThre")) {
                        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
                        seconds += (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
                    }
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return 0;
        }
        return seconds;
    }

    /** The whole machine's busy CPU seconds so far (every state but idle and iowait), from {@code /proc/stat}. */
    static double machine() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/stat"))) {
                if (line.startsWith("cpu ")) {
                    String[] f = line.trim().split("\\s+");
                    long busy = 0;
                    for (int i = 1; i < f.length; i++) {
                        if (i != 4 && i != 5) { // idle, iowait
                            busy += Long.parseLong(f[i]);
                        }
                    }
                    // guest time is already counted in user time
                    if (f.length > 9) {
                        busy -= Long.parseLong(f[9]);
                    }
                    if (f.length > 10) {
                        busy -= Long.parseLong(f[10]);
                    }
                    return busy / TICKS_PER_SECOND;
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read /proc/stat", e);
        }
        throw new IllegalStateException("/proc/stat has no cpu line");
    }

    /** utime, stime, cutime, cstime of a process, in ticks. */
    private static Optional<long[]> stat(long pid) {
        try {
            String s = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) is in parentheses and may hold spaces: count from after it.
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            // f[0] is field 3 (state); utime is field 14.
            return Optional.of(new long[] {
                Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]), Long.parseLong(f[14])
            });
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static double ticksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return Double.parseDouble(out);
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
