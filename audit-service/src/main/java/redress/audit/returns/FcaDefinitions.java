package redress.audit.returns;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The definitions of the FCA complaints return (DISP 1 Annex 1R) as this service computes it:
 * docs/returns.md states each one from the events, and every return carries this version, its
 * profiles and its business calendar so that anyone can recompute it.
 */
public final class FcaDefinitions {

    /**
     * {@code fca-return/3}: a redress line counts at its {@code occurredAt} (when it was paid), else its
     * {@code recordedAt} ({@code fca-return/2} read {@code recordedAt} only). Since {@code fca-return/2}
     * the 3-business-day figure ends at the close of business, the 8-week one at the end of the day
     * eight weeks after the day of receipt, as followup-service's deadlines do ({@code fca-return/1}
     * compared days, and 56 × 24 hours).
     */
    public static final String VERSION = "fca-return/3";

    public static final ZoneId ZONE = ZoneId.of("Europe/London");
    /** The regulatory profiles whose complaints the FCA return counts. */
    public static final List<String> PROFILES = List.of("UK_FCA_DISP", "UK_FCA_DISP_PSD");
    /** The return's rows: DISP 1 Annex 1R's five product/service groupings, and cases given none yet. */
    public static final List<String> ROWS = List.of(
            "BANKING_AND_CREDIT_CARDS",
            "HOME_FINANCE",
            "INSURANCE_AND_PURE_PROTECTION",
            "DECUMULATION_AND_PENSIONS",
            "INVESTMENTS",
            "UNCLASSIFIED");

    /** The close of business on a business day, in {@link #ZONE} (the GB-EAW calendar's 09:00–17:00). */
    public static final LocalTime CLOSE_OF_BUSINESS = LocalTime.of(17, 0);

    public static final Set<DayOfWeek> WEEKEND = Set.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);

    /** England and Wales bank holidays (substitute days included), the years a return may cover. */
    public static final Set<LocalDate> HOLIDAYS = Stream.of(
                    "2024-01-01",
                    "2024-03-29",
                    "2024-04-01",
                    "2024-05-06",
                    "2024-05-27",
                    "2024-08-26",
                    "2024-12-25",
                    "2024-12-26",
                    "2025-01-01",
                    "2025-04-18",
                    "2025-04-21",
                    "2025-05-05",
                    "2025-05-26",
                    "2025-08-25",
                    "2025-12-25",
                    "2025-12-26",
                    "2026-01-01",
                    "2026-04-03",
                    "2026-04-06",
                    "2026-05-04",
                    "2026-05-25",
                    "2026-08-31",
                    "2026-12-25",
                    "2026-12-28",
                    "2027-01-01",
                    "2027-03-26",
                    "2027-03-29",
                    "2027-05-03",
                    "2027-05-31",
                    "2027-08-30",
                    "2027-12-27",
                    "2027-12-28")
            .map(LocalDate::parse)
            .collect(Collectors.toCollection(TreeSet::new));

    public static final LocalDate CALENDAR_FROM = LocalDate.of(2024, 1, 1);
    public static final LocalDate CALENDAR_TO = LocalDate.of(2028, 1, 1);

    private FcaDefinitions() {}

    public static boolean businessDay(LocalDate d) {
        return !WEEKEND.contains(d.getDayOfWeek()) && !HOLIDAYS.contains(d);
    }

    /**
     * DISP 1.5.1R: "by close of business on the third business day following the day on which it is
     * received": the close of business on the third business day after the day of {@code received}.
     */
    public static Instant closeOfThirdBusinessDay(Instant received) {
        return thirdBusinessDayAfter(received.atZone(ZONE).toLocalDate())
                .atTime(CLOSE_OF_BUSINESS)
                .atZone(ZONE)
                .toInstant();
    }

    /**
     * DISP 1.6.2R: "by the end of eight weeks after its receipt": the end of the day (the next day's
     * start, in {@link #ZONE}) eight weeks after the day of {@code received}.
     */
    public static Instant endOfEightWeeks(Instant received) {
        return received.atZone(ZONE)
                .toLocalDate()
                .plusWeeks(8)
                .plusDays(1)
                .atStartOfDay(ZONE)
                .toInstant();
    }

    /** The third business day after the day of receipt. */
    static LocalDate thirdBusinessDayAfter(LocalDate received) {
        LocalDate d = received;
        int n = 0;
        while (n < 3) {
            d = d.plusDays(1);
            if (businessDay(d)) {
                n++;
            }
        }
        return d;
    }
}
