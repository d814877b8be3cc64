package redress.intake.complaint;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

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

    /** 404 unless the case exists and the caller may see it. */
    public void requireVisible(UUID id) {
        Optional<String> scope = scope();
        if (scope.isEmpty()) {
            return;
        }
        long visible = Complaint.count("id = ?1 and submittedBy = ?2", id, scope.get());
        if (visible == 0) {
            throw ProblemException.notFound("complaint", id);
        }
    }
}
