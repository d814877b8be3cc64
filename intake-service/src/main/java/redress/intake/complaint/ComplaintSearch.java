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

    /** @param submittedBy the submitter a caller is confined to (object-level access), or null */
    public record Filters(
            CaseStatus status,
            Severity severity,
            EscalationLevel level,
            String assignee,
            String customerId,
            String submittedBy) {
        String render() {
            return status + "|" + severity + "|" + level + "|" + assignee + "|" + customerId + "|" + submittedBy;
        }
    }

    public Page<ComplaintView> search(Filters f, String after, int limit) {
        StringBuilder q = new StringBuilder("1 = 1");
        Map<String, Object> params = new HashMap<>();
        add(q, params, "status", f.status());
        add(q, params, "severity", f.severity());
        add(q, params, "level", f.level());
        add(q, params, "assignee", f.assignee());
        add(q, params, "customerId", f.customerId());
        add(q, params, "submittedBy", f.submittedBy());
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
