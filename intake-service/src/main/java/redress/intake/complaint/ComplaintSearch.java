package redress.intake.complaint;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import redress.events.CaseStatus;
import redress.events.EscalationLevel;
import redress.events.Severity;
import redress.intake.customer.CustomerKeys;
import redress.support.paging.Cursor;
import redress.support.paging.Page;
import redress.support.problem.ProblemException;

/**
 * Lists cases newest first by registration, by keyset on (registeredAt, id): stable under
 * concurrent inserts, backdated receipts included (a receipt can be older than cursors already
 * handed out; a registration cannot).
 */
@ApplicationScoped
public class ComplaintSearch {

    private final CustomerKeys keys;

    public ComplaintSearch(CustomerKeys keys) {
        this.keys = keys;
    }

    /**
     * @param submittedBy       the submitter a caller is confined to (object-level access), or null
     * @param regulatoryProfile the case's regulatory profile, or null
     * @param classified        whether the case has a product group (the returns' rows), or null
     * @param settled           whether the case is settled ({@code RESOLVED} or {@code CLOSED}), or null
     */
    public record Filters(
            CaseStatus status,
            Severity severity,
            EscalationLevel level,
            String assignee,
            String customerId,
            String submittedBy,
            String regulatoryProfile,
            Boolean classified,
            Boolean settled) {

        public Filters(
                CaseStatus status,
                Severity severity,
                EscalationLevel level,
                String assignee,
                String customerId,
                String submittedBy) {
            this(status, severity, level, assignee, customerId, submittedBy, null, null, null);
        }

        /** What a cursor is bound to; the later filters only when given, so earlier cursors still match. */
        String render() {
            String r = status + "|" + severity + "|" + level + "|" + assignee + "|" + customerId + "|" + submittedBy;
            return regulatoryProfile == null && classified == null && settled == null
                    ? r
                    : r + "|" + regulatoryProfile + "|" + classified + "|" + settled;
        }
    }

    /** The statuses of a settled case: what the regulators' returns count as closed until a reopening. */
    static final List<CaseStatus> SETTLED = List.of(CaseStatus.RESOLVED, CaseStatus.CLOSED);

    public Page<ComplaintView> search(Filters f, String after, int limit) {
        StringBuilder q = new StringBuilder("1 = 1");
        Map<String, Object> params = new HashMap<>();
        add(q, params, "status", f.status());
        add(q, params, "severity", f.severity());
        add(q, params, "level", f.level());
        add(q, params, "assignee", f.assignee());
        add(q, params, "customerId", f.customerId());
        add(q, params, "submittedBy", f.submittedBy());
        add(q, params, "regulatoryProfile", f.regulatoryProfile());
        if (f.classified() != null) {
            q.append(f.classified() ? " and productGroup is not null" : " and productGroup is null");
        }
        if (f.settled() != null) {
            q.append(f.settled() ? " and status in :settled" : " and status not in :settled");
            params.put("settled", SETTLED);
        }
        if (after != null) {
            List<String> key = Cursor.decode(after, f.render(), 2);
            Instant t;
            UUID id;
            try {
                t = Instant.parse(key.get(0));
                id = UUID.fromString(key.get(1));
            } catch (RuntimeException e) {
                throw ProblemException.invalidField(Cursor.PARAM, "is not a cursor this service issued");
            }
            q.append(" and (registeredAt < :t or (registeredAt = :t and id < :id))");
            params.put("t", t);
            params.put("id", id);
        }
        q.append(" order by registeredAt desc, id desc");
        List<Complaint> rows =
                Complaint.find(q.toString(), params).page(0, limit + 1).list();
        var customers = keys.views(rows);
        return Page.keyset(
                rows.stream()
                        .map(c -> ComplaintView.of(c, customers.get(c.id), null))
                        .toList(),
                limit,
                f.render(),
                v -> new String[] {v.registeredAt().toString(), v.id().toString()});
    }

    private static void add(StringBuilder q, Map<String, Object> params, String field, Object value) {
        if (value != null) {
            q.append(" and ").append(field).append(" = :").append(field);
            params.put(field, value);
        }
    }
}
