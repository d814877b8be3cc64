package redress.intake.complaint;

import static redress.events.CaseStatus.AWAITING_CUSTOMER;
import static redress.events.CaseStatus.CLOSED;
import static redress.events.CaseStatus.IN_PROGRESS;
import static redress.events.CaseStatus.OPEN;
import static redress.events.CaseStatus.REOPENED;
import static redress.events.CaseStatus.RESOLVED;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import redress.events.CaseStatus;
import redress.support.problem.Problem;
import redress.support.problem.ProblemException;

/**
 * The case lifecycle: which transitions {@code POST /status} may make, and which event each one
 * emits. Resolution has its own endpoint because it needs a summary. Only {@link Complaint}
 * applies these rules: no other code changes a case's status.
 */
final class Transitions {

    /** The event a status change emits. */
    enum Kind {
        STATUS_CHANGED,
        CLOSED,
        REOPENED
    }

    private static final Map<CaseStatus, Set<CaseStatus>> BY_STATUS_ENDPOINT = Map.of(
            OPEN, EnumSet.of(IN_PROGRESS),
            IN_PROGRESS, EnumSet.of(AWAITING_CUSTOMER),
            AWAITING_CUSTOMER, EnumSet.of(IN_PROGRESS),
            RESOLVED, EnumSet.of(CLOSED, REOPENED),
            CLOSED, EnumSet.of(REOPENED),
            REOPENED, EnumSet.of(IN_PROGRESS));

    private static final Set<CaseStatus> RESOLVABLE = EnumSet.of(OPEN, IN_PROGRESS, AWAITING_CUSTOMER);
    /** Where the first agent interaction starts work (moves the case to IN_PROGRESS). */
    private static final Set<CaseStatus> WAITING_FOR_AN_AGENT = EnumSet.of(OPEN, REOPENED);

    private Transitions() {}

    /** The event kind of an allowed {@code POST /status} transition; 409 naming the current status otherwise. */
    static Kind viaStatus(CaseStatus from, CaseStatus to) {
        if (to == RESOLVED) {
            throw refused(from, "A case is resolved with POST /complaints/{id}/resolution, which takes a summary");
        }
        if (!BY_STATUS_ENDPOINT.getOrDefault(from, Set.of()).contains(to)) {
            throw refused(
                    from,
                    "A " + from + " case cannot move to " + to + "; from " + from + " it can move to "
                            + (BY_STATUS_ENDPOINT.get(from).isEmpty() ? "nothing" : BY_STATUS_ENDPOINT.get(from))
                            + (RESOLVABLE.contains(from) ? " or be resolved" : ""));
        }
        return switch (to) {
            case CLOSED -> Kind.CLOSED;
            case REOPENED -> Kind.REOPENED;
            default -> Kind.STATUS_CHANGED;
        };
    }

    static void checkResolvable(CaseStatus from) {
        if (!RESOLVABLE.contains(from)) {
            throw refused(
                    from,
                    "A " + from + " case cannot be resolved; only OPEN, IN_PROGRESS and AWAITING_CUSTOMER cases can");
        }
    }

    static boolean startsWork(CaseStatus current) {
        return WAITING_FOR_AN_AGENT.contains(current);
    }

    static boolean reopenable(CaseStatus current) {
        return current == RESOLVED || current == CLOSED;
    }

    static ProblemException refused(CaseStatus current, String detail) {
        return new ProblemException(Problem.of(409, "transition-not-allowed", "Transition not allowed", detail)
                .withCurrentStatus(current.name()));
    }
}
