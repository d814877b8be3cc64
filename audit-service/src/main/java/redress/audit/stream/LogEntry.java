package redress.audit.stream;

import com.fasterxml.jackson.databind.node.ObjectNode;

import redress.audit.query.EntryView;
import redress.events.EventCodec;

/**
 * One log entry as the stream sends it, with the case's current severity and level. Its JSON is
 * built once, however many clients receive it.
 */
final class LogEntry {

    final long seq;
    final String type;
    final String severity;
    final String level;
    private byte[] canonical;
    private String json;

    LogEntry(long seq, String type, String severity, String level, byte[] canonical) {
        this.seq = seq;
        this.type = type;
        this.severity = severity;
        this.level = level;
        this.canonical = canonical;
    }

    synchronized String json() {
        if (json == null) {
            EntryView v = EntryView.of(canonical);
            ObjectNode n = EventCodec.mapper().valueToTree(v);
            n.put("severity", severity);
            n.put("level", level);
            n.put("reference", v.data().path("reference").asText(null));
            json = n.toString();
            canonical = null;
        }
        return json;
    }
}
