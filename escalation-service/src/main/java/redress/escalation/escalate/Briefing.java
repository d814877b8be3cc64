package redress.escalation.escalate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import redress.escalation.projection.CaseProjection;
import redress.events.CaseEvent;
import redress.events.EscalationAction;
import redress.events.EventCodec;
import redress.events.payload.AbuseReportAcknowledged;
import redress.events.payload.AbuseReported;
import redress.events.payload.CasePayload;
import redress.events.payload.ComplaintReceived;
import redress.events.payload.InteractionRecorded;
import redress.events.payload.PromiseKept;
import redress.events.payload.PromiseMade;
import redress.events.payload.PromiseMissed;

/**
 * The hand-over text for whoever picks an escalated case up: the complaint in one line, what was
 * done, solutions tried and rejected, promises and whether kept, the tone, and why it was escalated.
 * Built from the projection and the case's recorded history only.
 */
public final class Briefing {

    private static final int MAX_TEXT = 160;

    private Briefing() {}

    /**
     * What a briefing and its {@code escalation.raised} take from the case's projection, as it was
     * when the rule fired (the projection moves on with the batch's later events).
     */
    public record Facts(
            UUID caseId,
            String reference,
            String customerId,
            String severity,
            String category,
            String product,
            String summary,
            String tones,
            String toneTrend,
            int boundaryWarnings,
            int conversationsEnded,
            int managerRequests,
            int reopenings,
            int followupsDissatisfied,
            int deadlineWarnings,
            int deadlineBreaches) {

        public static Facts of(CaseProjection p) {
            return new Facts(
                    p.caseId,
                    p.reference,
                    p.customerId,
                    p.severity,
                    p.category,
                    p.product,
                    p.summary,
                    p.tones,
                    p.toneTrend(),
                    p.boundaryWarnings,
                    p.conversationsEnded,
                    p.managerRequests,
                    p.reopenings,
                    p.followupsDissatisfied,
                    p.deadlineWarnings,
                    p.deadlineBreaches);
        }
    }

    public static String of(Facts p, List<CaseEvent> history, Evaluator.Firing why) {
        StringBuilder b = new StringBuilder();
        String summary = p.summary();
        for (CaseEvent e : history) {
            if (EventCodec.payload(e).orElse(null) instanceof ComplaintReceived c) {
                summary = c.summary();
            }
        }
        b.append("Complaint: ")
                .append(or(p.reference(), "case " + p.caseId()))
                .append(", ")
                .append(or(p.severity(), "severity unknown"))
                .append(", ")
                .append(or(p.category(), "no category"))
                .append(p.product() == null || p.product().isBlank() ? "" : " / " + p.product())
                .append(summary == null ? "" : ": " + clip(summary))
                .append('\n');

        Map<String, Integer> done = new LinkedHashMap<>();
        List<String> offered = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        Map<UUID, String> promises = new LinkedHashMap<>();
        Map<UUID, String> abuse = new LinkedHashMap<>();
        for (CaseEvent e : history) {
            CasePayload payload = EventCodec.payload(e).orElse(null);
            if (payload instanceof InteractionRecorded i && i.kind() != null) {
                done.merge(i.kind().name().toLowerCase(Locale.ROOT).replace('_', ' '), 1, Integer::sum);
                switch (i.kind()) {
                    case SOLUTION_OFFERED -> offered.add(clip(i.text()));
                    case SOLUTION_REJECTED -> rejected.add(clip(i.text()));
                    default -> {}
                }
            } else if (payload instanceof PromiseMade m) {
                promises.put(m.promiseId(), "\"" + clip(m.text()) + "\" due " + m.dueAt() + ": open");
            } else if (payload instanceof PromiseKept k) {
                promises.computeIfPresent(k.promiseId(), (id, s) -> s.replace(": open", ": kept " + k.keptAt()));
            } else if (payload instanceof AbuseReported a) {
                abuse.put(
                        a.reportId(),
                        a.tone() + ", conversation ended by " + a.endedBy() + " at " + a.level() + ": open");
            } else if (payload instanceof AbuseReportAcknowledged a) {
                abuse.computeIfPresent(
                        a.reportId(), (id, s) -> s.replace(": open", ": acknowledged by " + a.acknowledgedBy()));
            } else if (payload instanceof PromiseMissed m) {
                promises.merge(
                        m.promiseId(),
                        "promise due " + m.dueAt() + ": missed",
                        (s, n) -> s.replace(": open", ": missed"));
            }
        }
        b.append("Done: ")
                .append(
                        done.isEmpty()
                                ? "nothing recorded yet"
                                : String.join(
                                        ", ",
                                        done.entrySet().stream()
                                                .map(d -> d.getValue() + " × " + d.getKey())
                                                .toList()))
                .append('\n');
        b.append("Solutions offered: ")
                .append(offered.isEmpty() ? "none" : String.join("; ", offered))
                .append('\n');
        b.append("Solutions rejected: ")
                .append(rejected.isEmpty() ? "none" : String.join("; ", rejected))
                .append('\n');
        b.append("Promises: ")
                .append(promises.isEmpty() ? "none" : String.join("; ", promises.values()))
                .append('\n');
        b.append("Tone: ")
                .append(
                        p.tones() == null || p.tones().isEmpty()
                                ? "no customer contact recorded"
                                : p.tones().replace(",", " → ") + " ("
                                        + p.toneTrend().toLowerCase(Locale.ROOT) + ")")
                .append('\n');
        if (p.boundaryWarnings() > 0 || p.conversationsEnded() > 0) {
            b.append("Boundaries: ")
                    .append(p.boundaryWarnings())
                    .append(" warning(s), ")
                    .append(p.conversationsEnded())
                    .append(" conversation(s) ended")
                    .append('\n');
        }
        if (!abuse.isEmpty()) {
            b.append("Abuse reported to a supervisor: ")
                    .append(String.join("; ", abuse.values()))
                    .append('\n');
        }
        if (p.managerRequests() > 0) {
            b.append("Customer asked for a manager ")
                    .append(p.managerRequests())
                    .append(" time(s)")
                    .append('\n');
        }
        if (p.reopenings() > 0 || p.followupsDissatisfied() > 0) {
            b.append("Reopened ")
                    .append(p.reopenings())
                    .append(" time(s); ")
                    .append(p.followupsDissatisfied())
                    .append(" dissatisfied follow-up(s)")
                    .append('\n');
        }
        if (p.deadlineWarnings() > 0 || p.deadlineBreaches() > 0) {
            b.append("Deadlines: ")
                    .append(p.deadlineWarnings())
                    .append(" warning(s), ")
                    .append(p.deadlineBreaches())
                    .append(" breach(es)")
                    .append('\n');
        }
        b.append("Why: ")
                .append(why.reason())
                .append(" (rule ")
                .append(why.ruleId())
                .append(" v")
                .append(why.ruleVersion())
                .append("; ")
                .append(why.from())
                .append(" → ")
                .append(why.to())
                .append(')');
        if (why.action() == EscalationAction.WATCH) {
            b.append("\nAction: WATCH: ")
                    .append(why.to())
                    .append(" watches the case; its owner keeps it, and a watcher may take it over.");
        }
        return b.toString();
    }

    private static String or(String s, String otherwise) {
        return s == null || s.isBlank() ? otherwise : s;
    }

    private static String clip(String s) {
        if (s == null) {
            return "";
        }
        String t = s.strip().replaceAll("\\s+", " ");
        return t.length() <= MAX_TEXT ? t : t.substring(0, MAX_TEXT - 1) + "…";
    }
}
