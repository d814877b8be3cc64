package redress.audit.stream;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.subscription.MultiEmitter;
import redress.events.EventCodec;

/**
 * One client of the stream. Events are emitted into the client's Multi, which the SSE writer
 * drains one write at a time; {@code emitted - delivered} is what waits for this client, and a
 * client that lets more than the buffer pile up is dropped with a final {@code dropped} event.
 *
 * <p>{@code cursor} is the last sequence number handled for this client (sent or filtered out).
 * While {@code live} is false the client replays from the database; the follower's lock guards
 * the switch to live, so no entry is skipped or sent twice.
 */
final class StreamClient {

    final Filters filters;
    private final Sse sse;
    private final int buffer;
    private volatile MultiEmitter<? super OutboundSseEvent> emitter;
    private final AtomicLong emitted = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    final AtomicBoolean pumping = new AtomicBoolean();
    final AtomicBoolean released = new AtomicBoolean();
    private final AtomicBoolean ended = new AtomicBoolean();
    volatile long cursor;
    volatile boolean live;
    volatile long lastEmit = System.nanoTime();

    StreamClient(Filters filters, Sse sse, int buffer, long cursor) {
        this.filters = filters;
        this.sse = sse;
        this.buffer = buffer;
        this.cursor = cursor;
    }

    void attach(MultiEmitter<? super OutboundSseEvent> e) {
        this.emitter = e;
    }

    long waiting() {
        return emitted.get() - delivered.get();
    }

    /** Room for this many more events before the buffer is full. */
    long room() {
        return buffer - waiting();
    }

    void delivered() {
        delivered.incrementAndGet();
    }

    boolean ended() {
        return ended.get();
    }

    /**
     * Hands an entry to this client, or passes over it when it does not match; false when the
     * client was dropped because its buffer is full.
     */
    boolean offer(LogEntry e) {
        if (ended.get() || e.seq <= cursor) {
            return !ended.get();
        }
        if (filters.matches(e)) {
            if (waiting() >= buffer) {
                drop("client too slow: " + waiting() + " events waiting to be sent (limit " + buffer + ")");
                return false;
            }
            emit(sse.newEventBuilder().id(String.valueOf(e.seq)).data(e.json()).build());
        }
        cursor = e.seq;
        return true;
    }

    void keepAlive(long heartbeatNanos) {
        if (!ended.get() && waiting() == 0 && System.nanoTime() - lastEmit > heartbeatNanos) {
            emit(sse.newEventBuilder().comment("keep-alive").build());
        }
    }

    /** The last event: why the stream ends and where to resume; then the end. */
    void drop(String reason) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        ObjectNode why = EventCodec.mapper().createObjectNode();
        why.put("reason", reason);
        why.put("resumeAfter", cursor);
        // No id: a browser would reconnect with it and be dropped again; resumeAfter says where to go on.
        emitter.emit(sse.newEventBuilder().name("dropped").data(why.toString()).build());
        emitter.complete();
    }

    void fail(Throwable t) {
        if (ended.compareAndSet(false, true)) {
            emitter.fail(t);
        }
    }

    /** The client went away (or the stream ended). */
    void terminated() {
        ended.set(true);
    }

    private void emit(OutboundSseEvent event) {
        emitted.incrementAndGet();
        lastEmit = System.nanoTime();
        emitter.emit(event);
    }
}
