package redress.events;

import java.util.ArrayList;
import java.util.List;

/** Kafka topic names. Every case record is keyed by its case id. */
public final class Topics {
    public static final String CASE_EVENTS = "case.events";
    public static final String CASE_ESCALATIONS = "case.escalations";
    public static final String CASE_FOLLOWUPS = "case.followups";
    public static final String AUDIT_CHECKPOINTS = "audit.checkpoints";
    /** Auditors' reads of the log ({@code redress.audit.accessed}), which the log itself ingests. */
    public static final String AUDIT_ACCESS = "audit.access";

    /** Suffix of the dead-letter topic of each topic: {@code case.events.dlq}. */
    public static final String DLQ_SUFFIX = ".dlq";

    public static final List<String> CASE_TOPICS = List.of(CASE_EVENTS, CASE_ESCALATIONS, CASE_FOLLOWUPS);

    /** Every topic the system uses, dead-letter topics included, for whoever creates them. */
    public static List<String> all() {
        var all = new ArrayList<String>();
        for (String t : CASE_TOPICS) {
            all.add(t);
            all.add(dlq(t));
        }
        all.add(AUDIT_ACCESS);
        all.add(dlq(AUDIT_ACCESS));
        all.add(AUDIT_CHECKPOINTS);
        return all;
    }

    public static String dlq(String topic) {
        return topic + DLQ_SUFFIX;
    }

    private Topics() {}
}
