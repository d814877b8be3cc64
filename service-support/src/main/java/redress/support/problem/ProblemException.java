package redress.support.problem;

import java.util.List;

/** A domain refusal that becomes a problem+json answer with its own status. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.detail());
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    public static ProblemException notFound(String what, Object id) {
        return new ProblemException(Problem.of(404, "not-found", "Not found", what + " " + id + " does not exist"));
    }

    public static ProblemException conflict(String slug, String detail) {
        return new ProblemException(Problem.of(409, slug, "Conflict", detail));
    }

    public static ProblemException unprocessable(String slug, String detail) {
        return new ProblemException(Problem.of(422, slug, "Unprocessable request", detail));
    }

    /** 400 naming one field, for rules Bean Validation cannot express. */
    public static ProblemException invalidField(String field, String message) {
        return new ProblemException(
                Problem.invalid(field + ": " + message, List.of(new Problem.FieldError(field, message))));
    }
}
