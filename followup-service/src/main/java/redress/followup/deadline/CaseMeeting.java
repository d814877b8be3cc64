package redress.followup.deadline;

import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;

import org.hibernate.query.NativeQuery;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import redress.support.db.DbText;
import redress.support.db.Hql;

/**
 * Each time a meeting token happened on a case (acknowledged, a holding response, resolved, ...),
 * with the event that carried it: what a reclassification applies to the new profile's deadlines,
 * counted from the original receipt, event by event as the consumer applied them live (so a later
 * communication of a kind counts where the first of that kind did not, as a holding reply with the
 * statements an extension requires after one without). A reopening forgets the resolution (the case
 * is no longer resolved). Written in the consumer's transaction, under the case's lock.
 */
@Entity
@IdClass(CaseMeeting.Key.class)
public class CaseMeeting extends PanacheEntityBase {

    /** The primary key (Hibernate reads a record as an id class). */
    public record Key(UUID caseId, String token, UUID eventId) implements Serializable {}

    @Id
    public UUID caseId;

    @Id
    public String token;

    @Id
    public UUID eventId;

    public Instant at;
    public Instant expectedBy;
    /** The statements the communication contained, comma-separated (element codes are A-Z, 0-9 and '_'). */
    public String elements;

    /**
     * Records each of the meeting's tokens for the case: one statement a token, on the consumer's
     * path; a redelivered event's (already recorded) changes nothing.
     */
    public static void record(UUID caseId, Meeting m) {
        String elements = DbText.of(String.join(",", m.elements()));
        for (String token : m.tokens()) {
            getEntityManager()
                    .createNativeQuery("INSERT INTO case_meeting (case_id, token, at, event_id, expected_by, "
                            + "elements) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING")
                    .setParameter(1, caseId)
                    .setParameter(2, token)
                    .setParameter(3, m.at())
                    .setParameter(4, m.eventId())
                    .setParameter(6, elements)
                    .unwrap(NativeQuery.class)
                    .setParameter(5, m.expectedBy(), Instant.class)
                    .executeUpdate();
        }
    }

    /** Forgets these tokens of the case (a reopening undoes its resolution). */
    public static void forget(UUID caseId, Collection<String> tokens) {
        // The tokens as literals: a list bound to a parameter costs a throw and a new plan each time (Hql).
        delete("caseId = ?1 and " + Hql.in("token", tokens), caseId);
    }

    /** The case's meetings in the order they happened, the tokens one event carried together as one. */
    public static List<Meeting> history(UUID caseId) {
        List<CaseMeeting> rows = list("caseId", caseId);
        rows.sort(Comparator.comparing((CaseMeeting r) -> r.at).thenComparing(r -> r.eventId));
        Map<List<Object>, List<CaseMeeting>> byEvent = new LinkedHashMap<>();
        for (CaseMeeting r : rows) {
            byEvent.computeIfAbsent(List.of(r.at, r.eventId), k -> new ArrayList<>())
                    .add(r);
        }
        List<Meeting> history = new ArrayList<>();
        for (List<CaseMeeting> group : byEvent.values()) {
            CaseMeeting first = group.get(0);
            List<String> elements =
                    first.elements == null || first.elements.isEmpty() ? List.of() : List.of(first.elements.split(","));
            history.add(new Meeting(
                    group.stream().map(r -> r.token).toList(), first.at, first.expectedBy, elements, first.eventId));
        }
        return history;
    }
}
