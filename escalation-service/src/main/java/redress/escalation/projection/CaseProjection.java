package redress.escalation.projection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;

import redress.events.CaseStatus;
import redress.events.CustomerTone;
import redress.events.EscalationLevel;
import redress.events.Severity;

/**
 * What escalation rules see of a case, as of the last event applied ({@link Projector}). A case
 * whose {@code complaint.received} has not arrived yet (follow-ups come on another topic) starts at
 * level AGENT with unknown attributes. A plain class: {@link CaseProjectionStore} alone reads and
 * writes its row in {@code case_projection}.
 */
public class CaseProjection {

    public UUID caseId;
    public String reference;
    public String customerId;
    public String summary;
    public String severity;
    public String category;
    public String product;
    public String regulatoryProfile;
    public String level = EscalationLevel.AGENT.name();
    public String assignee;
    public String status;
    /** The tone of each customer contact, in order, comma-separated. */
    public String tones = "";

    public int boundaryWarnings;
    public int conversationsEnded;
    public int solutionsRejected;
    public int reopenings;
    public int promisesMissed;
    public int assistanceRequests;
    public int managerRequests;
    public int deadlineWarnings;
    public int deadlineBreaches;
    public int followupsDissatisfied;
    public int earlierComplaints;
    /**
     * Language coaching findings on the case's outbound texts so far (the {@code coaching} of
     * {@code interaction.recorded}, docs/coaching.md).
     */
    public int coachingFindings;
    /**
     * Whether the customer is vulnerable (FCA FG21/1), as intake-service last said
     * ({@code customer.vulnerability-changed}); false again once the customer is erased. Never the
     * drivers or the note: they stay sealed in intake-service.
     */
    public boolean vulnerable;

    public Instant receivedAt;
    public Instant lastEventAt;
    /**
     * The ids of the rules whose condition held after the last event, sorted and comma-separated:
     * the edge a rule fires on (absent: did not hold).
     */
    public String satisfiedRules = "";

    /** A case's projection before any event: level AGENT, nothing else known. */
    public static CaseProjection create(UUID caseId) {
        CaseProjection p = new CaseProjection();
        p.caseId = caseId;
        return p;
    }

    /** Whether each rule in {@link #satisfiedRules} held: true for each listed, absent for the rest. */
    public Map<String, Boolean> satisfied() {
        Map<String, Boolean> all = new HashMap<>();
        if (satisfiedRules != null && !satisfiedRules.isEmpty()) {
            for (String id : satisfiedRules.split(",")) {
                all.put(id, true);
            }
        }
        return all;
    }

    /**
     * Records whether each evaluated rule held after this event; rules not evaluated (disabled or
     * deleted since) keep what they had, so a rule switched back on does not fire on an old crossing.
     */
    public void satisfied(Map<String, Boolean> evaluated) {
        SortedSet<String> held = new TreeSet<>(satisfied().keySet());
        evaluated.forEach((id, holds) -> {
            if (holds) {
                held.add(id);
            } else {
                held.remove(id);
            }
        });
        satisfiedRules = String.join(",", held);
    }

    public EscalationLevel levelValue() {
        return EscalationLevel.valueOf(level);
    }

    public List<CustomerTone> toneList() {
        if (tones == null || tones.isEmpty()) {
            return List.of();
        }
        return Arrays.stream(tones.split(",")).map(CustomerTone::valueOf).toList();
    }

    public void addTone(CustomerTone tone) {
        List<CustomerTone> all = new ArrayList<>(toneList());
        all.add(tone);
        tones = String.join(",", all.stream().map(Enum::name).toList());
    }

    /** {@code RISING} or {@code FALLING} when the last contact's tone differs from the one before, {@code STEADY}, or {@code NONE} before two contacts. */
    public String toneTrend() {
        return toneTrend(toneList());
    }

    /** As {@link #toneTrend()}, of tones already read. */
    public static String toneTrend(List<CustomerTone> all) {
        if (all.size() < 2) {
            return "NONE";
        }
        int d = all.get(all.size() - 1).compareTo(all.get(all.size() - 2));
        return d > 0 ? "RISING" : d < 0 ? "FALLING" : "STEADY";
    }

    public String lastTone() {
        return lastTone(toneList());
    }

    /** As {@link #lastTone()}, of tones already read. */
    public static String lastTone(List<CustomerTone> all) {
        return all.isEmpty() ? "" : all.get(all.size() - 1).name();
    }

    void severity(Severity s) {
        if (s != null) {
            severity = s.name();
        }
    }

    void status(CaseStatus s) {
        if (s != null) {
            status = s.name();
        }
    }
}
