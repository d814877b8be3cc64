package redress.audit.access;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * One answered auditor read, before it is stamped and emitted as {@code redress.audit.accessed}.
 * Parameters are named one by one by each endpoint (never copied wholesale from the request, so a
 * token given as a query parameter can never reach the log).
 */
public record AuditorRead(
        String operation,
        Map<String, String> parameters,
        UUID caseId,
        String reference,
        String customerId,
        Long entries,
        Long firstSeq,
        Long lastSeq,
        Boolean verified) {

    /** The longest parameter value kept; longer ones are cut (the endpoints refuse most of them already). */
    static final int MAX_VALUE = 500;

    /** @param nameValues parameter names and values in turn; null or blank values are left out */
    public static AuditorRead of(String operation, String... nameValues) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i + 1 < nameValues.length; i += 2) {
            String v = nameValues[i + 1];
            if (v != null && !v.isBlank()) {
                v = v.trim();
                params.put(nameValues[i], v.length() > MAX_VALUE ? v.substring(0, MAX_VALUE) : v);
            }
        }
        return new AuditorRead(operation, params, null, null, null, null, null, null, null);
    }

    /**
     * The read was confined to one case: it becomes part of that case's history. A case id that is
     * not a UUID (only a foreign producer's subject can be one) stays a read across the log.
     */
    public AuditorRead ofCase(String caseIdText, String caseReference, String caseCustomer) {
        UUID id = uuid(caseIdText);
        return new AuditorRead(
                operation,
                parameters,
                id,
                id == null ? null : caseReference,
                caseCustomer,
                entries,
                firstSeq,
                lastSeq,
                verified);
    }

    /** The read was confined to one customer's entries. */
    public AuditorRead ofCustomer(String customer) {
        return new AuditorRead(
                operation, parameters, caseId, reference, customer, entries, firstSeq, lastSeq, verified);
    }

    /** How many entries the answer held, and the first and last of them (nulls when it held none). */
    public AuditorRead entries(long count, Long first, Long last) {
        return new AuditorRead(
                operation,
                parameters,
                caseId,
                reference,
                customerId,
                count,
                count == 0 ? null : first,
                count == 0 ? null : last,
                verified);
    }

    public AuditorRead verified(boolean ok) {
        return new AuditorRead(operation, parameters, caseId, reference, customerId, entries, firstSeq, lastSeq, ok);
    }

    private static UUID uuid(String text) {
        if (text == null) {
            return null;
        }
        try {
            UUID id = UUID.fromString(text.trim());
            return id.toString().equals(text.trim().toLowerCase(Locale.ROOT)) ? id : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
