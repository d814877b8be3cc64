package redress.support.consume;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.node.ObjectNode;

import redress.events.CaseEvent;
import redress.events.EventCodec;
import redress.events.EventFormatException;

/**
 * How every channel consumes: a poll's worth of records at once. Every record is parsed once,
 * what is not a well-formed envelope goes to {@code <topic>.dlq}, and the rest is handed over in
 * one call. Transient failures are waited out with the whole batch; a batch that keeps failing
 * otherwise is split into single records so that only the one that cannot be applied is
 * dead-lettered. The handler must be idempotent for the batch (a redelivered batch is handed over
 * again), as it is with its own ledger ({@link redress.support.ledger.ProcessedEvents#fresh}) or a
 * unique key. An interrupt (the service stopping) ends it with {@link ConsumerStopping}: nothing of
 * the batch is then dead-lettered, and nothing acknowledged.
 *
 * <p>A poll's records are handed over in slices of at most {@code
 * redress.consume.records-per-transaction} (in order, one after the other), so that a handler's
 * transaction stays short: a write transaction held open for a whole poll (seconds under load)
 * holds back PostgreSQL's cleanup horizon for every database on the server, and every index scan
 * then walks the entries of rows deleted or updated meanwhile, and it holds its cases' locks
 * against the service's other channels for as long.
 */
@ApplicationScoped
public class BatchConsumer {

    private static final Logger LOG = Logger.getLogger(BatchConsumer.class);

    /**
     * One well-formed record: the event, its envelope as sent (parsed, and as structured-mode text:
     * the record's value, or the envelope of a binary-mode record), and where it came from.
     */
    public record Consumed(CaseEvent event, ObjectNode envelope, String text, ConsumerRecord<String, String> record) {}

    @FunctionalInterface
    public interface Handler {
        void apply(List<Consumed> batch) throws Exception;
    }

    private final DeadLetters deadLetters;
    private final int perTransaction;

    public BatchConsumer(
            DeadLetters deadLetters,
            @ConfigProperty(name = "redress.consume.records-per-transaction", defaultValue = "100")
                    int perTransaction) {
        if (perTransaction < 1) {
            throw new IllegalArgumentException("redress.consume.records-per-transaction must be at least 1");
        }
        this.deadLetters = deadLetters;
        this.perTransaction = perTransaction;
    }

    public void consume(ConsumerRecords<String, String> records, Handler handler) {
        List<Consumed> wellFormed = new ArrayList<>(records.count());
        for (ConsumerRecord<String, String> r : records) {
            try {
                String text = envelopeText(r);
                EventCodec.Decoded d = EventCodec.decodeWithEnvelope(text);
                wellFormed.add(new Consumed(d.event(), d.envelope(), text, r));
            } catch (EventFormatException e) {
                deadLetters.sendWhenPossible(r, e);
            }
        }
        for (int from = 0; from < wellFormed.size(); from += perTransaction) {
            apply(wellFormed.subList(from, Math.min(wellFormed.size(), from + perTransaction)), handler);
        }
    }

    /**
     * The record's event as structured-mode JSON text. The CloudEvents Kafka protocol binding (3.)
     * tells the modes apart by the {@code content-type} header: one that starts with {@code
     * application/cloudevents} is structured mode, the value the envelope. Another, or none, with a
     * {@code ce_specversion} header is binary mode: the attributes are the {@code ce_} headers, the
     * value the data. A record with neither is read as structured mode (the value is an envelope,
     * or it is dead-lettered).
     */
    static String envelopeText(ConsumerRecord<String, String> r) {
        String contentType = header(r, "content-type");
        boolean structured = contentType != null
                && contentType.toLowerCase(Locale.ROOT).startsWith(EventCodec.STRUCTURED_MEDIA_TYPE);
        if (structured || header(r, EventCodec.BINARY_HEADER_PREFIX + "specversion") == null) {
            return r.value();
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Header h : r.headers()) {
            if (h.key().startsWith(EventCodec.BINARY_HEADER_PREFIX) && h.value() != null) {
                attributes.put(
                        h.key().substring(EventCodec.BINARY_HEADER_PREFIX.length()),
                        new String(h.value(), StandardCharsets.UTF_8));
            }
        }
        return EventCodec.structuredText(attributes, contentType, r.value());
    }

    private static String header(ConsumerRecord<String, String> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private void apply(List<Consumed> batch, Handler handler) {
        try {
            Retries.untilDone("a batch of " + batch.size() + " records", () -> {
                handler.apply(batch);
                return null;
            });
        } catch (ConsumerStopping e) {
            throw e;
        } catch (Exception e) {
            LOG.errorf(e, "a batch of %d records keeps failing; applying them one by one", batch.size());
            oneByOne(batch, handler);
        }
    }

    /** Isolates the records that cannot be applied, so that they alone are dead-lettered. */
    private void oneByOne(List<Consumed> batch, Handler handler) {
        for (Consumed c : batch) {
            try {
                Retries.untilDone(
                        "event " + c.event().id() + " (case " + c.event().subject() + ")", () -> {
                            handler.apply(List.of(c));
                            return null;
                        });
            } catch (ConsumerStopping e) {
                throw e;
            } catch (Exception e) {
                LOG.errorf(
                        e,
                        "cannot apply event %s (case %s); dead-lettering it",
                        c.event().id(),
                        c.event().subject());
                deadLetters.sendWhenPossible(c.record(), e);
            }
        }
    }
}
