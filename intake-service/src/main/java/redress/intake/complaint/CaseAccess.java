package redress.intake.complaint;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.Session;

import redress.support.identity.Callers;
import redress.support.problem.ProblemException;

/**
 * Object-level access (OWASP API1): a submitting system sees and lists only the complaints it
 * submitted; another's answers 404, exactly as an unknown id does, so ids cannot be probed.
 * Agents and supervisors see every case.
 */
@ApplicationScoped
public class CaseAccess {

    private final Callers callers;

    public CaseAccess(Callers callers) {
        this.callers = callers;
    }

    /** The submitter the caller is confined to, or empty when it may see every case. */
    public Optional<String> scope() {
        return callers.onlyOwnSubmissions();
    }

    /** The links to a customer's earlier complaints this caller may follow (a submitter: its own). */
    public List<ComplaintView.EarlierComplaint> visible(List<ComplaintView.EarlierComplaint> earlier) {
        Optional<String> scope = scope();
        if (scope.isEmpty() || earlier == null || earlier.isEmpty()) {
            return earlier;
        }
        // Loaded by id in one statement (one array parameter), the submitter compared here: a list
        // bound to "id in ?1" would make the query be translated again each time.
        Set<UUID> own = Complaint.getEntityManager()
                .unwrap(Session.class)
                .findMultiple(
                        Complaint.class,
                        earlier.stream().map(ComplaintView.EarlierComplaint::id).toList())
                .stream()
                .filter(c -> c != null && scope.get().equals(c.submittedBy))
                .map(c -> c.id)
                .collect(Collectors.toSet());
        return earlier.stream().filter(e -> own.contains(e.id())).toList();
    }

    /** 404 unless the case exists and the caller may see it. */
    public void requireVisible(UUID id) {
        Optional<String> scope = scope();
        if (scope.isEmpty()) {
            return;
        }
        // A query of its own: Panache's count derives its query again on every call.
        boolean visible = !Complaint.getEntityManager()
                .createQuery("select 1 from Complaint c where c.id = ?1 and c.submittedBy = ?2", Integer.class)
                .setParameter(1, id)
                .setParameter(2, scope.get())
                .setMaxResults(1)
                .getResultList()
                .isEmpty();
        if (!visible) {
            throw ProblemException.notFound("complaint", id);
        }
    }
}
