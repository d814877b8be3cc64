package redress.support.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.sql.SQLException;

import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.StreamResetException;

class ProblemMappersTest {

    @Test
    void aClientThatWentAwayIsToldApartFromAFailureOnThisSide() {
        // As intake-service met them while the fault suite's client gave up on its requests.
        assertTrue(
                ProblemMappers.clientGone(new IOException(new IOException(new StreamResetException(8)))),
                "an HTTP/2 stream the client reset, met reading the body");
        assertTrue(
                ProblemMappers.clientGone(
                        new IOException("Failed to write", new IOException("Connection has been closed"))),
                "the connection closed, met writing the answer");
        assertTrue(
                ProblemMappers.clientGone(new IOException(new ClosedChannelException())),
                "a closed channel (Netty's own is one)");
        assertTrue(ProblemMappers.clientGone(new ClosedChannelException()));
        assertTrue(ProblemMappers.clientGone(new HttpClosedException("Connection was closed")));

        assertFalse(ProblemMappers.clientGone(new IOException("No space left on device")));
        assertFalse(ProblemMappers.clientGone(new IllegalStateException("a bug")));
        assertFalse(ProblemMappers.clientGone(new RuntimeException(new SQLException("connection refused", "08001"))));
        assertFalse(ProblemMappers.clientGone(new IOException(new IOException("Read timed out"))));
    }

    @Test
    void anAbandonedRequestIsAnswered499NotAsAServerError() {
        Response r =
                ProblemMappers.abandoned(new IOException(new IOException(new StreamResetException(8))), "/complaints");
        assertEquals(499, r.getStatus());
        assertNull(r.getEntity(), "nobody reads it");
    }
}
