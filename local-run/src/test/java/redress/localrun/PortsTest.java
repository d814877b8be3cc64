package redress.localrun;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

import redress.localinfra.Ports;

/**
 * The ports the local run and the tests start servers on lie below the system's ephemeral range,
 * where no outgoing connection can take one between the pick and the server's bind (a CI run once
 * failed with an intake-service replica's port "in use"), are bindable, and are not handed out twice.
 */
class PortsTest {

    @Test
    void portsAreBelowTheEphemeralRangeBindableAndDistinct() throws IOException {
        int ephemeralStart = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range"))
                .get(0)
                .trim()
                .split("\\s+")[0]);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            int port = Ports.free();
            assertTrue(port < ephemeralStart, port + " is in the ephemeral range from " + ephemeralStart);
            assertTrue(seen.add(port), port + " handed out twice");
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertTrue(s.isBound());
            }
        }
    }
}
