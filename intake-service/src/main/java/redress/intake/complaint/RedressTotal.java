package redress.intake.complaint;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import redress.events.RedressStage;

/**
 * A case's redress in one currency: the sums of its ledger's lines per stage, in whole minor units
 * and as decimals of the major unit ({@code "125.50"}). The ledger itself is
 * {@code redress.intake.redress}; the case shows these totals.
 */
public record RedressTotal(
        String currency,
        long offeredMinor,
        long acceptedMinor,
        long paidMinor,
        String offered,
        String accepted,
        String paid) {

    /** The totals of one case, per currency in alphabetical order; empty when it has no redress. */
    public static List<RedressTotal> ofCase(UUID caseId) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = Complaint.getEntityManager()
                .createNativeQuery(
                        "SELECT currency, stage, sum(amount_minor) FROM redress WHERE case_id = ?1 GROUP BY 1, 2")
                .setParameter(1, caseId)
                .getResultList();
        Map<String, long[]> sums = new TreeMap<>();
        for (Object[] r : rows) {
            long[] s = sums.computeIfAbsent((String) r[0], k -> new long[3]);
            s[RedressStage.valueOf((String) r[1]).ordinal()] = ((Number) r[2]).longValue();
        }
        return sums.entrySet().stream()
                .map(e -> {
                    long[] s = e.getValue();
                    String c = e.getKey();
                    return new RedressTotal(c, s[0], s[1], s[2], major(s[0], c), major(s[1], c), major(s[2], c));
                })
                .toList();
    }

    /** Minor units as a decimal of the major unit, with the currency's own number of places. */
    public static String major(long minor, String currency) {
        int digits = Currency.getInstance(currency).getDefaultFractionDigits();
        return BigDecimal.valueOf(minor, digits).toPlainString();
    }
}
