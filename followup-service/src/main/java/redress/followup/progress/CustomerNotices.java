package redress.followup.progress;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import redress.events.CaseEvent;
import redress.events.EscalationAction;
import redress.events.EscalationLevel;
import redress.events.payload.CustomerNoticeSuggested;
import redress.events.payload.EscalationRaised;
import redress.followup.CaseState;
import redress.followup.calendar.Calendars;
import redress.support.identity.Callers;
import redress.support.outbox.EventEmitter;

/**
 * Suggested customer notices: when an escalation hands a case over, the agent is offered a notice
 * telling the customer their complaint has gone up and is taken seriously (seeds 003 and 004), as
 * {@code customer-notice.suggested}. An outbound contact at or after the escalation sends it; a
 * resolution or a closing first cancels it. A WATCH leaves the case with its owner: nothing to tell.
 */
@ApplicationScoped
public class CustomerNotices {

    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("HH:mm 'on' EEEE d MMMM yyyy", Locale.UK);

    private final Calendars calendars;
    private final EventEmitter emitter;
    private final Callers callers;

    public CustomerNotices(Calendars calendars, EventEmitter emitter, Callers callers) {
        this.calendars = calendars;
        this.emitter = emitter;
        this.callers = callers;
    }

    /** Whether an escalation calls for a notice to the customer: a hand-over (or an event without an action). */
    public static boolean calledFor(EscalationRaised r) {
        return r.effectiveAction() == EscalationAction.HAND_OVER;
    }

    /**
     * Whether a notice was suggested for the escalation already. A query of its own rather than
     * Panache's {@code count}, whose query Hibernate derives anew, not from its plan cache, each time.
     */
    private static boolean suggestedFor(UUID escalationId) {
        return !CustomerNotice.getEntityManager()
                .createQuery("select n.id from CustomerNotice n where n.escalationId = ?1", UUID.class)
                .setParameter(1, escalationId)
                .setMaxResults(1)
                .getResultList()
                .isEmpty();
    }

    /** Suggests the notice for a hand-over, once per escalation; times in {@code calendar}'s zone. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void suggest(CaseState c, EscalationRaised r, String calendar, CaseEvent event) {
        if (!calledFor(r) || suggestedFor(r.escalationId())) {
            return;
        }
        ZoneId zone = calendars.get(calendar).zone();
        CustomerNotice n = new CustomerNotice();
        n.id = UUID.randomUUID();
        n.caseId = c.caseId;
        n.reference = r.reference() == null ? c.reference : r.reference();
        n.escalationId = r.escalationId();
        n.level = r.level() == null ? null : r.level().name();
        n.responseDueAt = r.responseDueAt();
        n.text = text(n.reference, r.level(), r.responseDueAt(), zone);
        n.suggestedAt = event.time();
        n.state = CustomerNotice.State.SUGGESTED.name();
        n.persist();
        emitter.emit(
                callers.system(),
                c.customerId,
                new CustomerNoticeSuggested(
                        n.id, n.caseId, n.reference, n.escalationId, r.level(), n.text, n.responseDueAt),
                event);
    }

    /**
     * The suggested notice's text: the reference, the level in words, the response time in the case's
     * calendar's zone when the escalation gave one. No personal data: it names nobody.
     */
    static String text(String reference, EscalationLevel level, Instant responseDueAt, ZoneId zone) {
        String by = responseDueAt == null
                ? "promptly"
                : "promptly: you will hear from us by " + WHEN.format(responseDueAt.atZone(zone)) + " (" + zone.getId()
                        + " time)";
        return "Your complaint " + reference + " has been passed to our " + words(level)
                + ". We are taking your concerns seriously and they will be addressed " + by + ".";
    }

    static String words(EscalationLevel level) {
        if (level == null) {
            return "senior team";
        }
        return switch (level) {
            case AGENT -> "complaints team";
            case TEAM_LEAD -> "team leader";
            case SUPERVISOR -> "supervisor";
            case MANAGER -> "complaints manager";
        };
    }

    /** An outbound contact at {@code at} ({@code kind}, in {@code event}): the notices suggested by then are sent. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void contacted(UUID caseId, Instant at, String kind, CaseEvent event) {
        for (CustomerNotice n : suggested(caseId)) {
            if (!at.isBefore(n.suggestedAt)) {
                n.state = CustomerNotice.State.SENT.name();
                n.sentAt = at;
                n.sentByEventId = event.id();
                n.sentByKind = kind;
            }
        }
    }

    /** The case was resolved or closed: notices not sent are cancelled. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void end(UUID caseId, Instant at) {
        for (CustomerNotice n : suggested(caseId)) {
            n.state = CustomerNotice.State.CANCELLED.name();
            n.cancelledAt = at;
        }
    }

    private static List<CustomerNotice> suggested(UUID caseId) {
        return CustomerNotice.list("caseId = ?1 and state = ?2", caseId, CustomerNotice.State.SUGGESTED.name());
    }
}
