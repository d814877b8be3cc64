package redress.localinfra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for servers started by tests and the local run.
 *
 * <p>A port is picked below the system's ephemeral range (Linux: {@code
 * /proc/sys/net/ipv4/ip_local_port_range}, 32768 and up by default), not by binding port 0. A port
 * the system hands out for port 0 comes from that range, and so does the local end of every
 * outgoing connection (a database or broker client): between the check here and the server's own
 * bind, such a connection could take it ("Port … seems to be in use", seen once in CI). A port
 * below the range is taken only by another server that picked the same one; a port is never handed
 * out twice by one process.
 */
public final class Ports {

    /** The lowest port picked. */
    static final int LOW = 20_000;

    private static final Set<Integer> GIVEN = ConcurrentHashMap.newKeySet();

    public static int free() {
        int high = ephemeralStart();
        if (high - LOW >= 1_000) {
            for (int i = 0; i < 200; i++) {
                int port = ThreadLocalRandom.current().nextInt(LOW, high);
                if (bindable(port) && GIVEN.add(port)) {
                    return port;
                }
            }
        }
        // No room below the range (or all tried were taken): the system's choice, as before.
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            GIVEN.add(s.getLocalPort());
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The first port of the system's ephemeral range; 32768 where it cannot be read. (Read by
     * lines: {@code Files.readString} gets only the first byte of a {@code /proc} file, whose size
     * reads as 0.)
     */
    static int ephemeralStart() {
        try {
            String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                    .get(0)
                    .trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768;
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private Ports() {}
}
