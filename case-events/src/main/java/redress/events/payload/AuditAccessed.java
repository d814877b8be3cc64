package redress.events.payload;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * {@code redress.audit.accessed}: an auditor read the audit log, and this is what was read. One
 * event per answered request, written by audit-service and kept by the log like any other.
 *
 * <p>Unlike the other payloads it need not belong to a case: a read of one case's history names
 * that case ({@code caseId}, and the event's subject is the case id, so the read appears in the
 * case's history); a read across the log has no {@code caseId} and the subject {@link #LOG_SUBJECT}.
 *
 * @param caseId     the case whose history was read, or null for a read across the log
 * @param reference  that case's reference, when the log holds one
 * @param operation  what was read: {@code case-history}, {@code entries-query}, {@code export},
 *                   {@code verify}, {@code verify-checkpoint}, {@code verification},
 *                   {@code checkpoints}, {@code insights}, {@code return}
 * @param parameters the request's parameters as the auditor gave them (name to value; absent ones
 *                   left out)
 * @param entries    how many log entries the answer held (or, for a verification, checked), when known
 * @param firstSeq   the first entry of the answer, when known
 * @param lastSeq    the last entry of the answer, when known
 * @param verified   for a verification answered at once: whether the log held
 * @param accessedAt when the read was answered
 */
public record AuditAccessed(
        UUID caseId,
        String reference,
        String operation,
        Map<String, String> parameters,
        Long entries,
        Long firstSeq,
        Long lastSeq,
        Boolean verified,
        Instant accessedAt)
        implements CasePayload {

    /** The subject (and Kafka key) of a read that is not of one case. */
    public static final String LOG_SUBJECT = "audit-log";

    public AuditAccessed {
        // Sorted by name, so the envelope reads the same whatever order the request had.
        parameters = parameters == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(parameters));
    }

    @Override
    public String subject() {
        return caseId == null ? LOG_SUBJECT : caseId.toString();
    }
}
