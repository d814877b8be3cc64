package redress.followup.profile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What a deadline's {@code metBy} (and an extension's {@code by}) may name: the case events that
 * meet a clock, in the rules' own terms (docs/followup.md, "What meets a deadline").
 *
 * <ul>
 * <li>{@code ACKNOWLEDGED}: {@code case.acknowledged};</li>
 * <li>{@code FIRST_OUTBOUND}: the first contact towards the customer: {@code case.acknowledged}, an
 * {@code OUTBOUND} interaction, or any written response below;</li>
 * <li>{@code RESOLVED}: {@code case.resolved};</li>
 * <li>the written responses, each an {@code interaction.recorded} of that kind:
 * {@code HOLDING_RESPONSE}, {@code FINAL_RESPONSE}, {@code SUMMARY_RESOLUTION},
 * {@code DELAY_NOTICE}, and {@code SUBSTANTIVE_RESPONSE} of any status, or qualified by its
 * {@code responseStatus}: {@code SUBSTANTIVE_RESPONSE:CLOSED}, {@code SUBSTANTIVE_RESPONSE:IN_PROGRESS}.</li>
 * </ul>
 */
public final class MeetingTokens {

    public static final String ACKNOWLEDGED = "ACKNOWLEDGED";
    public static final String FIRST_OUTBOUND = "FIRST_OUTBOUND";
    public static final String RESOLVED = "RESOLVED";
    public static final String HOLDING_RESPONSE = "HOLDING_RESPONSE";
    public static final String FINAL_RESPONSE = "FINAL_RESPONSE";
    public static final String SUMMARY_RESOLUTION = "SUMMARY_RESOLUTION";
    public static final String SUBSTANTIVE_RESPONSE = "SUBSTANTIVE_RESPONSE";
    public static final String SUBSTANTIVE_CLOSED = "SUBSTANTIVE_RESPONSE:CLOSED";
    public static final String SUBSTANTIVE_IN_PROGRESS = "SUBSTANTIVE_RESPONSE:IN_PROGRESS";
    public static final String DELAY_NOTICE = "DELAY_NOTICE";

    /**
     * Every token, most specific first: when one event carries several (a closed substantive
     * response is also a substantive response and a first outbound contact), a deadline records
     * the first of them it lists as what met it.
     */
    public static final List<String> ALL = List.of(
            FINAL_RESPONSE,
            SUBSTANTIVE_CLOSED,
            SUBSTANTIVE_IN_PROGRESS,
            SUBSTANTIVE_RESPONSE,
            HOLDING_RESPONSE,
            SUMMARY_RESOLUTION,
            DELAY_NOTICE,
            RESOLVED,
            ACKNOWLEDGED,
            FIRST_OUTBOUND);

    /** The interaction kinds that are written responses to the customer, each its own token. */
    public static final List<String> RESPONSE_KINDS =
            List.of(HOLDING_RESPONSE, FINAL_RESPONSE, SUMMARY_RESOLUTION, SUBSTANTIVE_RESPONSE, DELAY_NOTICE);

    /** The statuses a substantive response may carry (the CFPB portal's). */
    public static final List<String> SUBSTANTIVE_STATUSES = List.of("IN_PROGRESS", "CLOSED");

    private MeetingTokens() {}

    /**
     * The tokens an interaction of {@code kind} carries, most specific first; empty when it meets
     * nothing.
     *
     * @param outbound       its direction is {@code OUTBOUND}
     * @param responseStatus a substantive response's status ({@code IN_PROGRESS}, {@code CLOSED}), else ignored
     */
    public static List<String> ofInteraction(String kind, boolean outbound, String responseStatus) {
        List<String> tokens = new ArrayList<>();
        if (kind != null && RESPONSE_KINDS.contains(kind)) {
            if (SUBSTANTIVE_RESPONSE.equals(kind)
                    && responseStatus != null
                    && SUBSTANTIVE_STATUSES.contains(responseStatus)) {
                tokens.add(SUBSTANTIVE_RESPONSE + ":" + responseStatus);
            }
            tokens.add(kind);
        }
        if (outbound || !tokens.isEmpty()) {
            tokens.add(FIRST_OUTBOUND);
        }
        return ordered(tokens);
    }

    /** The tokens in the order of {@link #ALL}, each once; unknown ones last, as given. */
    public static List<String> ordered(List<String> tokens) {
        return tokens.stream()
                .distinct()
                .sorted(Comparator.comparingInt(t -> ALL.indexOf(t) < 0 ? ALL.size() : ALL.indexOf(t)))
                .toList();
    }
}
