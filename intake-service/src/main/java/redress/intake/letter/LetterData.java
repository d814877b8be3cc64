package redress.intake.letter;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import redress.events.Outcome;

/**
 * What a letter says, as taken from the case when it was drafted, but the customer's name (opened
 * from the sealed customer at each rendering). Stored with the letter, so a later change to the
 * case does not change a letter already drafted.
 *
 * @param body                     the agent's own text: paragraphs separated by blank lines
 * @param consentToWaiveTimeLimits whether the firm consents to the Ombudsman considering the
 *                                 complaint out of time (DISP 1 Annex 3R's two wordings)
 */
public record LetterData(
        String reference,
        Instant receivedAt,
        Instant resolvedAt,
        String summary,
        String resolution,
        Outcome outcome,
        String rootCause,
        String productGroup,
        String body,
        boolean consentToWaiveTimeLimits,
        Instant draftedAt) {

    /**
     * The names a template may use: {@code reference}, {@code customerName}, {@code letterDate},
     * {@code receivedDate}, {@code resolvedDate}, {@code summary}, {@code resolution},
     * {@code outcome} (words: "upheld", "partly upheld", "not upheld"), {@code outcomeCode},
     * {@code rootCause}, {@code productGroup}, {@code paragraphs} (the agent's text, a list) and
     * {@code consentToWaiveTimeLimits}. A value the case lacks is the empty string.
     */
    public Map<String, Object> model(String customerName, String language, ZoneId zone) {
        Locale locale = Locale.forLanguageTag(language);
        DateTimeFormatter date =
                DateTimeFormatter.ofPattern("d MMMM uuuu", locale).withZone(zone);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("reference", text(reference));
        m.put("customerName", text(customerName));
        m.put("letterDate", date.format(draftedAt));
        m.put("receivedDate", receivedAt == null ? "" : date.format(receivedAt));
        m.put("resolvedDate", resolvedAt == null ? "" : date.format(resolvedAt));
        m.put("summary", text(summary));
        m.put("resolution", text(resolution));
        m.put(
                "outcome",
                outcome == null ? "" : outcome.name().toLowerCase(Locale.ROOT).replace('_', ' '));
        m.put("outcomeCode", outcome == null ? "" : outcome.name());
        m.put("rootCause", text(rootCause));
        m.put("productGroup", text(productGroup));
        m.put("paragraphs", paragraphs(body));
        m.put("consentToWaiveTimeLimits", consentToWaiveTimeLimits);
        return m;
    }

    /** Data to try a template with before it is published: every name set, with characters HTML must escape. */
    static LetterData sample(Instant at) {
        return new LetterData(
                "CMP-2026-000001",
                at.minusSeconds(86_400 * 30),
                at.minusSeconds(86_400),
                "A payment taken twice <card ending 1234> & no refund",
                "We refunded the second payment & added interest",
                Outcome.UPHELD,
                "TRANSACTION_ERROR",
                "CURRENT_ACCOUNT",
                "First paragraph.\n\nSecond paragraph with <angle brackets> & an ampersand.",
                false,
                at);
    }

    static final String SAMPLE_CUSTOMER = "Ann O'Neill & <Sons>";

    private static String text(String s) {
        return s == null ? "" : s;
    }

    private static List<String> paragraphs(String body) {
        if (body == null || body.isBlank()) {
            return List.of();
        }
        return Arrays.stream(body.strip().split("\\R\\s*\\R"))
                .map(p -> p.strip().replaceAll("\\s*\\R\\s*", " "))
                .filter(p -> !p.isEmpty())
                .toList();
    }
}
