package redress.escalation.rule;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelVariableResolver;

/**
 * Rule conditions in CEL: compiled against the declared {@link RuleVariables} with a bool result,
 * standard macros on and an iteration limit. A condition that does not compile names each problem
 * with its line and column.
 */
public final class Conditions {

    /** One problem in a condition, 1-based line and column. */
    public record Issue(int line, int column, String message) {
        @Override
        public String toString() {
            return line + ":" + column + ": " + message;
        }
    }

    public static final class Invalid extends Exception {
        private final transient List<Issue> issues;

        Invalid(List<Issue> issues) {
            super(String.join("; ", issues.stream().map(Issue::toString).toList()));
            this.issues = issues;
        }

        public List<Issue> issues() {
            return issues;
        }
    }

    /** A compiled condition, ready to evaluate. */
    public static final class Condition {
        private final CelRuntime.Program program;

        Condition(CelRuntime.Program program) {
            this.program = program;
        }

        public boolean test(Map<String, Object> variables) {
            // A resolver over the caller's map: eval(Map) copies the map into an activation on every
            // call, once per rule and event. A variable that cannot be read (complaints_90d is counted
            // when first read, from the database in a dry-run) fails the evaluation, whatever CEL
            // makes of the exception.
            RuntimeException[] unreadable = new RuntimeException[1];
            CelVariableResolver resolver = name -> {
                try {
                    return Optional.ofNullable(variables.get(name));
                } catch (RuntimeException e) {
                    unreadable[0] = e;
                    throw e;
                }
            };
            try {
                boolean held = Boolean.TRUE.equals(program.eval(resolver));
                if (unreadable[0] != null) {
                    throw unreadable[0];
                }
                return held;
            } catch (CelEvaluationException e) {
                if (unreadable[0] != null) {
                    throw unreadable[0];
                }
                // A runtime error of the condition (division by zero, the iteration limit) is "not
                // satisfied", never a poison event.
                return false;
            }
        }
    }

    private final Cel cel;

    public Conditions(int maxIterations) {
        var builder = CelFactory.standardCelBuilder()
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .setOptions(CelOptions.current()
                        .comprehensionMaxIterations(maxIterations)
                        .build())
                .setResultType(SimpleType.BOOL);
        RuleVariables.DECLARED.forEach(builder::addVar);
        this.cel = builder.build();
    }

    public Condition compile(String expression) throws Invalid {
        CelValidationResult result = cel.compile(expression);
        if (result.hasError()) {
            throw new Invalid(result.getErrors().stream().map(Conditions::issue).toList());
        }
        try {
            CelAbstractSyntaxTree ast = result.getAst();
            return new Condition(cel.createProgram(ast));
        } catch (Exception e) {
            throw new Invalid(List.of(new Issue(1, 1, e.getMessage())));
        }
    }

    private static Issue issue(CelIssue i) {
        // CEL counts lines from 1 and columns from 0.
        var loc = i.getSourceLocation();
        int line = loc.getLine() <= 0 ? 1 : loc.getLine();
        int column = loc.getColumn() < 0 ? 1 : loc.getColumn() + 1;
        return new Issue(line, column, i.getMessage());
    }
}
