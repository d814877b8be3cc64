package redress.followup.profile;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Period;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import redress.events.ResponseRequirements;
import redress.support.problem.Problem;

/**
 * What a profile definition must satisfy before it is saved: a known calendar, deadlines with a
 * valid clock ({@link ClockSpec#validate()}, and a positive amount), warnings strictly between 0
 * and 1 in ascending order, a {@code metBy} of one or more known tokens ({@link MeetingTokens}), an
 * {@code extendedBy} with known tokens and something to extend to, {@code discharges} naming the
 * profile's other deadlines, a known {@code onReopen}, unique kinds, a follow-up with positive
 * working-time durations, and a progress-update cadence (when given) of 1 to 40 working days or a
 * positive working time. Plain Java: tested without a database, and the seeded definitions pass it.
 */
public final class ProfileChecks {

    /** What {@code metBy} and {@code extendedBy.by} may name. */
    public static final Set<String> MET_BY = Set.copyOf(MeetingTokens.ALL);

    public static final String KIND = "[A-Z][A-Z0-9_]{0,62}";
    /** The most business days a BUSINESS_DAY_CLOSE may count. */
    public static final int MAX_DAYS = 366;
    /**
     * The longest progress-update cadence in working days: 40, DISP 1.6.2R's eight weeks. A customer told
     * nothing for longer has had their final response due already.
     */
    public static final int MAX_PROGRESS_DAYS = 40;
    /** The longest progress-update cadence as working time: 40 working days of 8 hours. */
    public static final Duration MAX_PROGRESS_TIME = Duration.ofHours(320);

    private ProfileChecks() {}

    /** Every problem of the definition, each naming its field ({@code deadlines[1].warnAt}); empty when valid. */
    public static List<Problem.FieldError> problems(ProfileDefinition d, Predicate<String> calendarExists) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (d.calendar() == null || d.calendar().isBlank()) {
            errors.add(new Problem.FieldError("calendar", "is required"));
        } else if (!calendarExists.test(d.calendar())) {
            errors.add(new Problem.FieldError("calendar", "unknown calendar " + d.calendar()));
        }
        if (d.deadlines().isEmpty()) {
            errors.add(new Problem.FieldError("deadlines", "at least one deadline is required"));
        }
        Set<String> kinds = new HashSet<>();
        for (int i = 0; i < d.deadlines().size(); i++) {
            String at = "deadlines[" + i + "]";
            DeadlineSpec s = d.deadlines().get(i);
            if (s == null) {
                errors.add(new Problem.FieldError(at, "must not be null"));
                continue;
            }
            if (s.kind() == null || !s.kind().matches(KIND)) {
                errors.add(new Problem.FieldError(at + ".kind", "upper-case letters, digits and '_', at most 63"));
            } else if (!kinds.add(s.kind())) {
                errors.add(new Problem.FieldError(at + ".kind", s.kind() + " appears twice"));
            }
            clock(s.clock(), at + ".clock", errors);
            double previous = 0;
            for (Double w : s.warnAt()) {
                if (w == null || !(w > 0 && w < 1)) {
                    errors.add(new Problem.FieldError(
                            at + ".warnAt", "each fraction must be strictly between 0 and 1, not " + w));
                    break;
                }
                if (w <= previous) {
                    errors.add(
                            new Problem.FieldError(at + ".warnAt", "fractions must be in ascending order, each once"));
                    break;
                }
                previous = w;
            }
            tokens(s.metBy(), at + ".metBy", errors);
            if (s.extendedBy() != null) {
                ExtensionSpec x = s.extendedBy();
                tokens(x.by(), at + ".extendedBy.by", errors);
                if (x.clock() != null) {
                    clock(x.clock(), at + ".extendedBy.clock", errors);
                } else if (!x.untilStatedDate()) {
                    errors.add(new Problem.FieldError(
                            at + ".extendedBy", "needs a clock, or untilStatedDate, to extend to"));
                }
                for (String e : x.requires()) {
                    if (e == null || !ResponseRequirements.isKnown(e)) {
                        errors.add(new Problem.FieldError(
                                at + ".extendedBy.requires",
                                "unknown element " + e + "; each must be one of "
                                        + String.join(", ", ResponseRequirements.ELEMENTS.keySet())));
                        break;
                    }
                }
            }
            if (s.onReopen() != null && !DeadlineSpec.ON_REOPEN.contains(s.onReopen())) {
                errors.add(new Problem.FieldError(
                        at + ".onReopen", "must be one of " + String.join(", ", DeadlineSpec.ON_REOPEN)));
            }
        }
        for (int i = 0; i < d.deadlines().size(); i++) {
            DeadlineSpec s = d.deadlines().get(i);
            if (s == null) {
                continue;
            }
            for (String kind : s.discharges()) {
                if (kind == null || kind.equals(s.kind()) || !kinds.contains(kind)) {
                    errors.add(new Problem.FieldError(
                            "deadlines[" + i + "].discharges",
                            "each must be the kind of another deadline of this profile, not " + kind));
                    break;
                }
            }
        }
        if (d.followup() != null) {
            positive(d.followup().delay(), "followup.delay", errors);
            positive(d.followup().window(), "followup.window", errors);
        }
        if (d.progressUpdate() != null) {
            progressUpdate(d.progressUpdate(), errors);
        }
        return errors;
    }

    /** One of {@code everyWorkingDays} (1 to {@link #MAX_PROGRESS_DAYS}) or {@code every} (positive working time, at most {@link #MAX_PROGRESS_TIME}). */
    private static void progressUpdate(ProfileDefinition.ProgressUpdateSpec p, List<Problem.FieldError> errors) {
        if (p.everyWorkingDays() != null && p.every() != null) {
            errors.add(new Problem.FieldError("progressUpdate", "give everyWorkingDays or every, not both"));
        } else if (p.everyWorkingDays() != null) {
            if (p.everyWorkingDays() < 1 || p.everyWorkingDays() > MAX_PROGRESS_DAYS) {
                errors.add(new Problem.FieldError(
                        "progressUpdate.everyWorkingDays",
                        "must be a whole number of working days from 1 to " + MAX_PROGRESS_DAYS + ", not "
                                + p.everyWorkingDays()));
            }
        } else if (p.every() != null) {
            positive(p.every(), "progressUpdate.every", errors);
            try {
                if (Duration.parse(p.every()).compareTo(MAX_PROGRESS_TIME) > 0) {
                    errors.add(new Problem.FieldError("progressUpdate.every", "at most " + MAX_PROGRESS_TIME));
                }
            } catch (DateTimeException e) {
                // named by positive() above
            }
        } else {
            errors.add(new Problem.FieldError(
                    "progressUpdate", "needs everyWorkingDays or every (leave progressUpdate out for no reminders)"));
        }
    }

    private static void tokens(List<String> tokens, String at, List<Problem.FieldError> errors) {
        if (tokens == null || tokens.isEmpty()) {
            errors.add(
                    new Problem.FieldError(at, "is required: one or more of " + String.join(", ", MeetingTokens.ALL)));
            return;
        }
        for (String t : tokens) {
            if (t == null || !MET_BY.contains(t)) {
                errors.add(new Problem.FieldError(
                        at, "unknown " + t + "; each must be one of " + String.join(", ", MeetingTokens.ALL)));
                return;
            }
        }
    }

    private static void clock(ClockSpec c, String at, List<Problem.FieldError> errors) {
        if (c == null) {
            errors.add(new Problem.FieldError(at, "is required"));
            return;
        }
        try {
            c.validate();
        } catch (IllegalArgumentException | DateTimeException e) {
            errors.add(new Problem.FieldError(at, message(e)));
            return;
        }
        switch (c.type()) {
            case CALENDAR_PERIOD -> {
                boolean positive = c.period().contains("T")
                        ? isPositive(Duration.parse(c.period()))
                        : !Period.parse(c.period()).isNegative()
                                && !Period.parse(c.period()).isZero();
                if (!positive) {
                    errors.add(new Problem.FieldError(at + ".period", "must be positive"));
                }
            }
            case BUSINESS_DAY_CLOSE -> {
                if (c.days() > MAX_DAYS) {
                    errors.add(new Problem.FieldError(at + ".days", "at most " + MAX_DAYS));
                }
            }
            case BUSINESS_HOURS -> {
                // validate() checked it is positive
            }
        }
    }

    private static void positive(String duration, String at, List<Problem.FieldError> errors) {
        try {
            if (duration == null || !isPositive(Duration.parse(duration))) {
                errors.add(new Problem.FieldError(at, "must be a positive ISO-8601 duration (PT16H)"));
            }
        } catch (DateTimeException e) {
            errors.add(new Problem.FieldError(at, "must be a positive ISO-8601 duration (PT16H), not " + duration));
        }
    }

    private static boolean isPositive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }

    private static String message(RuntimeException e) {
        if (e instanceof DateTimeParseException p) {
            return "not an ISO-8601 amount: " + p.getParsedString();
        }
        return e.getMessage();
    }
}
