package redress.audit.returns;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import redress.events.EventCodec;

/**
 * What the log now gives differently from a stored return: the return computed again, by the same
 * definitions, from every entry logged so far, and compared figure by figure. Events recorded after
 * the return's checkpoint but dated in its period (a payment typed in after the half-year closed, a
 * resolution or receipt given its real time late, a reclassification) change it; a return that is
 * still {@code current} would be made again with the same figures.
 *
 * @param returnId      the return
 * @param family        {@code FCA} or {@code ASIC_IDR}
 * @param definitions   the definitions version both computations used
 * @param checkpointSeq the entry the return was computed at
 * @param headSeq       the last entry of the log this comparison read
 * @param current       no figure differs
 * @param differences   one line per differing figure (FCA: {@code ROW.figure: the return says a, the
 *                      log now gives b}) or complaint (ASIC: added, gone, or a column changed)
 */
public record ReturnChanges(
        UUID returnId,
        String family,
        String definitions,
        long checkpointSeq,
        long headSeq,
        boolean current,
        List<String> differences) {

    /**
     * The differences between the rows a return holds and the rows computed now, rows matched by
     * {@code key} (a product group, a complaint id), in the return's order and then the new ones.
     */
    static List<String> differences(List<?> then, List<?> now, String key, String rowName) {
        Map<String, JsonNode> before = index(then, key);
        Map<String, JsonNode> after = index(now, key);
        List<String> out = new ArrayList<>();
        before.forEach((k, row) -> {
            JsonNode other = after.get(k);
            if (other == null) {
                out.add(rowName + k + ": in the return, no longer in the log's figures");
                return;
            }
            Iterator<Map.Entry<String, JsonNode>> fields = row.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                JsonNode was = f.getValue();
                JsonNode is = other.path(f.getKey());
                if (!was.equals(is)) {
                    out.add(rowName + k + "." + f.getKey() + ": the return says " + text(was) + ", the log now gives "
                            + text(is));
                }
            }
        });
        after.keySet().stream()
                .filter(k -> !before.containsKey(k))
                .forEach(k -> out.add(rowName + k + ": not in the return, in the log's figures now"));
        return out;
    }

    private static Map<String, JsonNode> index(List<?> rows, String key) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        for (Object r : rows) {
            JsonNode n = EventCodec.mapper().valueToTree(r);
            m.put(n.path(key).asText(), n);
        }
        return m;
    }

    private static String text(JsonNode n) {
        if (n.isMissingNode() || n.isNull() || (n.isTextual() && n.asText().isEmpty())) {
            return "nothing";
        }
        return n.isTextual() ? n.asText() : n.toString();
    }
}
