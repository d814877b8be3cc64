package redress.followup.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import redress.events.RegulatoryProfiles;
import redress.followup.calendar.BusinessCalendar;
import redress.followup.calendar.Seeds;

/**
 * Each installed profile's deadlines on worked examples, computed from the definitions in the V3
 * and V5 migrations and the seeded calendars and holidays: a wrong seed fails them. V5's version of
 * a profile is the one after V3's (version 1 for a profile new in V5).
 */
class ProfileSeedsTest {

    static final ZoneId LONDON = ZoneId.of("Europe/London");
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    static final ZoneId SYDNEY = ZoneId.of("Australia/Sydney");
    static final Set<String> CALENDARS = Set.of("GB-EAW", "US", "AU-NSW", "ALWAYS");

    /** Every seeded version of each profile, oldest first. */
    static final Map<String, List<ProfileDefinition>> VERSIONS = versions();
    /** Each profile's current seeded version. */
    static final Map<String, ProfileDefinition> SEEDED = current();

    static Map<String, List<ProfileDefinition>> versions() {
        Map<String, List<ProfileDefinition>> all = new LinkedHashMap<>();
        read(all, "V3__profiles.sql", "^\\('([A-Z0-9_]+)', 1, '(\\{.*\\})', 'migration', now\\(\\)\\)");
        read(all, "V5__regulatory_profiles.sql", "^\\('([A-Z0-9_]+)', '(\\{.*\\})'\\)");
        return all;
    }

    private static void read(Map<String, List<ProfileDefinition>> all, String migration, String line) {
        Matcher m = Pattern.compile(line, Pattern.MULTILINE).matcher(Seeds.migration(migration));
        ObjectMapper mapper = new ObjectMapper();
        while (m.find()) {
            try {
                all.computeIfAbsent(m.group(1), n -> new ArrayList<>())
                        .add(mapper.readValue(m.group(2), ProfileDefinition.class));
            } catch (Exception e) {
                throw new AssertionError(
                        "profile " + m.group(1) + " in " + migration + " does not read: " + e.getMessage());
            }
        }
    }

    static Map<String, ProfileDefinition> current() {
        Map<String, ProfileDefinition> current = new LinkedHashMap<>();
        VERSIONS.forEach((name, versions) -> current.put(name, versions.get(versions.size() - 1)));
        return current;
    }

    static Instant at(String local, ZoneId zone) {
        return ZonedDateTime.of(LocalDateTime.parse(local), zone).toInstant();
    }

    /** The due time of each deadline of a seeded profile, for a complaint received at {@code received}. */
    static Map<String, Instant> due(String profile, Instant received) {
        ProfileDefinition d = SEEDED.get(profile);
        BusinessCalendar calendar = Seeds.calendar(d.calendar());
        Map<String, Instant> due = new LinkedHashMap<>();
        d.deadlines().forEach(s -> due.put(s.kind(), s.clock().due(received, calendar)));
        return due;
    }

    /** The deadline of {@code kind} is due at the instant {@code utc}. */
    static void assertDue(Map<String, Instant> due, String kind, String utc) {
        assertEquals(Instant.parse(utc), due.get(kind));
    }

    static void assertDue(Map<String, Instant> due, String kind, String utc, String why) {
        assertEquals(Instant.parse(utc), due.get(kind), why);
    }

    static DeadlineSpec spec(String profile, String kind) {
        return SEEDED.get(profile).deadlines().stream()
                .filter(s -> s.kind().equals(kind))
                .findFirst()
                .orElseThrow();
    }

    static final List<String> REGULATORY = List.of(
            "UK_FCA_DISP",
            "UK_FCA_DISP_PSD",
            "US_CFPB",
            "AU_ASIC_RG271",
            "AU_ASIC_RG271_SUPER",
            "AU_ASIC_RG271_HARDSHIP",
            "AU_ASIC_RG271_DEFAULT_NOTICE");

    @Test
    void everyProfileNameIntakeAcceptsIsInstalled() {
        assertTrue(
                SEEDED.keySet().containsAll(RegulatoryProfiles.ALL),
                SEEDED.keySet().toString());
        assertEquals(
                Set.of(
                        "DEFAULT",
                        "UK_FCA_DISP",
                        "UK_FCA_DISP_PSD",
                        "US_CFPB",
                        "AU_ASIC_RG271",
                        "AU_ASIC_RG271_SUPER",
                        "AU_ASIC_RG271_HARDSHIP",
                        "AU_ASIC_RG271_DEFAULT_NOTICE"),
                Set.copyOf(RegulatoryProfiles.ALL));
        assertEquals(
                Set.of(
                        "DEFAULT",
                        "UK_FCA_DISP",
                        "UK_FCA_DISP_PSD",
                        "US_CFPB",
                        "AU_ASIC_RG271",
                        "AU_ASIC_RG271_SUPER",
                        "AU_ASIC_RG271_HARDSHIP",
                        "AU_ASIC_RG271_DEFAULT_NOTICE",
                        "DEMO"),
                SEEDED.keySet());
    }

    @Test
    void theRulesChangedForTheRegulatorsNotForTheFirmsOwnLevelsOrTheDemo() {
        assertEquals(2, VERSIONS.get("UK_FCA_DISP").size());
        assertEquals(2, VERSIONS.get("US_CFPB").size());
        assertEquals(2, VERSIONS.get("AU_ASIC_RG271").size());
        assertEquals(2, VERSIONS.get("AU_ASIC_RG271_SUPER").size());
        for (String name : List.of(
                "UK_FCA_DISP_PSD", "AU_ASIC_RG271_HARDSHIP", "AU_ASIC_RG271_DEFAULT_NOTICE", "DEFAULT", "DEMO")) {
            assertEquals(1, VERSIONS.get(name).size(), name);
        }
        assertEquals(
                List.of(DeadlineSpec.RESOLVED),
                spec("DEMO", "FINAL_RESPONSE").metBy(),
                "the demo resolves its final response");
        assertEquals(
                DeadlineSpec.RESTART, spec("DEFAULT", "FINAL_RESPONSE").reopening(), "the firm's own level restarts");
        assertEquals(DeadlineSpec.NONE, spec("DEFAULT", "ACKNOWLEDGEMENT").reopening());
        // Version 1 of US_CFPB let the acknowledgement (FIRST_OUTBOUND) meet the 15 days: the fault version 2 corrects.
        assertEquals(
                List.of(DeadlineSpec.FIRST_OUTBOUND),
                VERSIONS.get("US_CFPB").get(0).deadlines().get(1).metBy());
    }

    @Test
    void everySeededDefinitionPassesTheChecksAPutWouldApply() {
        VERSIONS.forEach((name, all) ->
                all.forEach(d -> assertEquals(List.of(), ProfileChecks.problems(d, CALENDARS::contains), name)));
    }

    @Test
    void regulatoryClocksNeverPauseAndRunFromTheFirstReceipt() {
        for (String name : REGULATORY) {
            SEEDED.get(name).deadlines().forEach(s -> assertFalse(s.pausable(), name + " " + s.kind()));
            DeadlineSpec fin = spec(name, "FINAL_RESPONSE");
            assertEquals(DeadlineSpec.FROM_RECEIPT, fin.reopening(), name);
            assertFalse(fin.metBy().contains(DeadlineSpec.ACKNOWLEDGED), name);
            assertFalse(fin.metBy().contains(DeadlineSpec.FIRST_OUTBOUND), name);
            assertFalse(
                    fin.metBy().contains(DeadlineSpec.RESOLVED),
                    name + ": a resolution meets it only through a window");
        }
        assertTrue(
                spec("DEFAULT", "FINAL_RESPONSE").pausable(),
                "the firm's own levels pause while awaiting the customer");
    }

    @Test
    void whatMeetsEachClockInTheRulesOwnTerms() {
        // DISP 1.6.2R: a final response or a written (holding) response.
        assertEquals(
                List.of("FINAL_RESPONSE", "HOLDING_RESPONSE"),
                spec("UK_FCA_DISP", "FINAL_RESPONSE").metBy());
        // DISP 1.5: resolved by the third business day; the summary resolution communication says so.
        assertEquals(
                List.of("RESOLVED", "SUMMARY_RESOLUTION"),
                spec("UK_FCA_DISP", "SUMMARY_RESOLUTION").metBy());
        assertEquals(
                List.of("FINAL_RESPONSE"),
                spec("UK_FCA_DISP", "SUMMARY_RESOLUTION").discharges());
        // DISP 1.6.2AR: a final response; a holding reply with reasons and a date gives 35 business days.
        DeadlineSpec psd = spec("UK_FCA_DISP_PSD", "FINAL_RESPONSE");
        assertEquals(List.of("FINAL_RESPONSE"), psd.metBy());
        assertEquals(List.of("HOLDING_RESPONSE"), psd.extendedBy().by());
        assertEquals(
                List.of("REASONS_FOR_DELAY", "EXPECTED_DATE"), psd.extendedBy().requires());
        // CFPB: a substantive response (or in progress) within 15 days; closed within 60.
        assertEquals(
                List.of("SUBSTANTIVE_RESPONSE", "FINAL_RESPONSE"),
                spec("US_CFPB", "FIRST_RESPONSE").metBy());
        assertEquals(
                List.of("FINAL_RESPONSE", "SUBSTANTIVE_RESPONSE:CLOSED"),
                spec("US_CFPB", "FINAL_RESPONSE").metBy());
        // RG 271: the IDR response; a delay notification before the deadline; closed within five business days.
        for (String name : List.of(
                "AU_ASIC_RG271", "AU_ASIC_RG271_SUPER", "AU_ASIC_RG271_HARDSHIP", "AU_ASIC_RG271_DEFAULT_NOTICE")) {
            DeadlineSpec fin = spec(name, "FINAL_RESPONSE");
            assertEquals(List.of("FINAL_RESPONSE"), fin.metBy(), name);
            assertEquals(List.of("DELAY_NOTICE"), fin.extendedBy().by(), name);
            assertTrue(fin.extendedBy().untilStatedDate(), name);
            assertEquals(
                    List.of("REASONS_FOR_DELAY", "AFCA_REFERRAL_RIGHT", "AFCA_CONTACT_DETAILS"),
                    fin.extendedBy().requires(),
                    name);
            boolean window =
                    SEEDED.get(name).deadlines().stream().anyMatch(s -> s.kind().equals("FIVE_DAY_CLOSE"));
            assertEquals(
                    !name.equals("AU_ASIC_RG271_HARDSHIP"), window, name + ": hardship always gets a written response");
        }
    }

    @Test
    void ukFcaDispReceivedOnChristmasEve2026() {
        Map<String, Instant> due = due("UK_FCA_DISP", at("2026-12-24T15:00", LONDON));
        // Acknowledgement (the firm's "prompt"): close of the first business day after receipt. 25th, the
        // weekend and the 28th (Boxing Day's substitute) are not business days.
        assertDue(due, "ACKNOWLEDGEMENT", "2026-12-29T17:00:00Z");
        // DISP 1.5: close of business on the third business day after the day of receipt: 29, 30, 31 December.
        assertDue(due, "SUMMARY_RESOLUTION", "2026-12-31T17:00:00Z");
        // DISP 1.6.2R: the end of eight weeks after receipt: the end of Thursday 18 February 2027.
        assertDue(due, "FINAL_RESPONSE", "2027-02-19T00:00:00Z");
        DeadlineSpec summary = spec("UK_FCA_DISP", "SUMMARY_RESOLUTION");
        assertFalse(summary.breachable(), "a window: met or missed, never breached");
        assertEquals(List.of(), summary.warnAt());
        assertEquals(List.of(DeadlineSpec.RESOLVED, "SUMMARY_RESOLUTION"), summary.metBy());
        assertEquals(List.of(0.5, 0.8), spec("UK_FCA_DISP", "FINAL_RESPONSE").warnAt());
    }

    @Test
    void ukEightWeeksAcrossTheEndOfSummerTime() {
        // Received Friday 11 September 2026 10:00 BST; 8 weeks later is Friday 6 November, in GMT.
        Map<String, Instant> due = due("UK_FCA_DISP", at("2026-09-11T10:00", LONDON));
        assertDue(due, "FINAL_RESPONSE", "2026-11-07T00:00:00Z");
        assertDue(due, "SUMMARY_RESOLUTION", "2026-09-16T16:00:00Z", "Wednesday 16 September 17:00 BST");
    }

    @Test
    void theFirmsDefaultLevels() {
        Map<String, Instant> due = due("DEFAULT", at("2026-12-24T15:00", LONDON));
        assertDue(due, "ACKNOWLEDGEMENT", "2026-12-29T17:00:00Z");
        // 16 business hours: 2 on the 24th, 8 on the 29th, 6 on the 30th.
        assertDue(due, "FIRST_RESPONSE", "2026-12-30T15:00:00Z");
        // 10 business days after the 24th: 29, 30, 31 Dec, (1 Jan a holiday) 4–8 Jan, 11, 12 Jan.
        assertDue(due, "FINAL_RESPONSE", "2027-01-12T17:00:00Z");
        assertEquals(
                new ProfileDefinition.FollowupSpec("PT16H", "PT40H"),
                SEEDED.get("DEFAULT").followup());
    }

    @Test
    void usCfpbAcrossTheStartOfDaylightSavingTime() {
        // Received Friday 27 February 2026 20:00 EST: already Saturday 01:00 in UTC; the days count from New York's
        // date.
        Instant received = at("2026-02-27T20:00", NEW_YORK);
        assertEquals(Instant.parse("2026-02-28T01:00:00Z"), received);
        Map<String, Instant> due = due("US_CFPB", received);
        assertDue(due, "ACKNOWLEDGEMENT", "2026-03-02T22:00:00Z", "Monday 2 March 17:00 EST");
        // 15 calendar days: the end of Saturday 14 March, midnight EDT (UTC-4 since 8 March).
        assertDue(due, "FIRST_RESPONSE", "2026-03-15T04:00:00Z");
        // 60 calendar days: the end of Tuesday 28 April.
        assertDue(due, "FINAL_RESPONSE", "2026-04-29T04:00:00Z");
    }

    @Test
    void usCfpbOverIndependenceDay() {
        Map<String, Instant> due = due("US_CFPB", at("2026-07-02T12:00", NEW_YORK));
        assertEquals(at("2026-07-06T17:00", NEW_YORK), due.get("ACKNOWLEDGEMENT"), "3 July is the observed holiday");
        assertEquals(
                at("2026-07-18T00:00", NEW_YORK), due.get("FIRST_RESPONSE"), "calendar days: holidays do not matter");
    }

    @Test
    void auAsicRg271ReceivedOnASaturdayInSydney() {
        // Friday 23:30 UTC is Saturday 10:30 AEDT.
        Map<String, Instant> due = due("AU_ASIC_RG271", Instant.parse("2026-03-06T23:30:00Z"));
        // One business day of working time: Monday 9 March 17:00 AEDT.
        assertDue(due, "ACKNOWLEDGEMENT", "2026-03-09T06:00:00Z");
        // 30 calendar days from Saturday 7 March: the end of Monday 6 April, after DST ended (AEST, UTC+10).
        assertDue(due, "FINAL_RESPONSE", "2026-04-06T14:00:00Z");
        assertEquals(
                Instant.parse("2026-04-21T14:00:00Z"),
                due("AU_ASIC_RG271_SUPER", Instant.parse("2026-03-06T23:30:00Z"))
                        .get("FINAL_RESPONSE"),
                "45 days for superannuation: the end of 21 April");
    }

    @Test
    void auAcknowledgementIs24HoursOnABusinessDayAndSkipsEaster() {
        // Received Wednesday 1 April 10:00 AEDT: 7 hours that day, 1 on Thursday: 24 elapsed hours.
        assertEquals(
                at("2026-04-02T10:00", SYDNEY),
                due("AU_ASIC_RG271", at("2026-04-01T10:00", SYDNEY)).get("ACKNOWLEDGEMENT"));
        // Received Thursday 2 April 16:00: 1 hour that day; Good Friday to Easter Monday skipped; Tuesday 16:00 AEST.
        assertEquals(
                Instant.parse("2026-04-07T06:00:00Z"),
                due("AU_ASIC_RG271", at("2026-04-02T16:00", SYDNEY)).get("ACKNOWLEDGEMENT"));
    }

    @Test
    void theDemoProfileFiresWithinAMinute() {
        Instant received = Instant.parse("2026-05-01T12:00:00Z");
        Map<String, Instant> due = due("DEMO", received);
        assertEquals(received.plusSeconds(20), due.get("ACKNOWLEDGEMENT"));
        assertEquals(received.plusSeconds(30), due.get("FIRST_RESPONSE"));
        assertEquals(received.plusSeconds(40), due.get("FINAL_RESPONSE"));
        assertEquals(
                new ProfileDefinition.FollowupSpec("PT5S", "PT20S"),
                SEEDED.get("DEMO").followup());
    }

    @Test
    void dispPsdFifteenBusinessDaysAndThirtyFiveAfterAHoldingReply() {
        // Received Thursday 20 August 2026 10:00 BST; Monday 31 August is the summer bank holiday.
        Instant received = at("2026-08-20T10:00", LONDON);
        DeadlineSpec fin = spec("UK_FCA_DISP_PSD", "FINAL_RESPONSE");
        BusinessCalendar gb = Seeds.calendar("GB-EAW");
        // DISP 1.6.2AR(1): 21, 24-28 August, 1-4, 7-11 September: Friday 11 September 17:00 BST.
        assertEquals(Instant.parse("2026-09-11T16:00:00Z"), fin.clock().due(received, gb));
        // DISP 1.6.2AR(2): 35 business days: Friday 9 October 17:00 BST.
        assertEquals(Instant.parse("2026-10-09T16:00:00Z"), fin.extendedBy().due(received, gb, null));
        // Across the end of summer time: received Thursday 15 October; 15 business days end on
        // Thursday 5 November, 35 on Thursday 3 December, both 17:00 GMT.
        Instant october = at("2026-10-15T10:00", LONDON);
        assertEquals(Instant.parse("2026-11-05T17:00:00Z"), fin.clock().due(october, gb));
        assertEquals(
                Instant.parse("2026-12-03T17:00:00Z"),
                fin.extendedBy().due(october, gb, at("2026-11-20T17:00", LONDON)),
                "the stated date does not shorten it: untilStatedDate is false");
    }

    @Test
    void dispAReopeningCountsFromTheFirstReceipt() {
        // Received Friday 1 January 2027 (a bank holiday) 10:00; reopened Thursday 7 January 09:30.
        Map<String, Instant> due = due("UK_FCA_DISP", at("2027-01-01T10:00", LONDON));
        assertDue(due, "ACKNOWLEDGEMENT", "2027-01-04T17:00:00Z");
        assertDue(due, "SUMMARY_RESOLUTION", "2027-01-06T17:00:00Z", "4, 5 and 6 January");
        assertDue(due, "FINAL_RESPONSE", "2027-02-27T00:00:00Z", "the end of Friday 26 February");
        assertEquals(
                Instant.parse("2027-03-05T00:00:00Z"),
                due("UK_FCA_DISP", at("2027-01-07T09:30", LONDON)).get("FINAL_RESPONSE"),
                "what restarting at the reopening would have given: the end of Thursday 4 March");
    }

    @Test
    void rg271VariantsOverEasterAndTheEndOfSummerTime() {
        // Received Thursday 2 April 2026 10:00 AEDT; Good Friday to Easter Monday are NSW holidays and
        // summer time ends on Sunday 5 April (AEST, UTC+10, from then).
        Instant received = at("2026-04-02T10:00", SYDNEY);
        Map<String, Instant> standard = due("AU_ASIC_RG271", received);
        // Five business days after the day of receipt: 7, 8, 9, 10, 13 April.
        assertEquals(at("2026-04-13T17:00", SYDNEY), standard.get("FIVE_DAY_CLOSE"));
        assertDue(standard, "FIVE_DAY_CLOSE", "2026-04-13T07:00:00Z");
        // 30 calendar days: the end of Saturday 2 May.
        assertDue(standard, "FINAL_RESPONSE", "2026-05-02T14:00:00Z");
        assertEquals(
                Instant.parse("2026-05-17T14:00:00Z"),
                due("AU_ASIC_RG271_SUPER", received).get("FINAL_RESPONSE"),
                "45 days");
        Map<String, Instant> hardship = due("AU_ASIC_RG271_HARDSHIP", received);
        assertDue(hardship, "FINAL_RESPONSE", "2026-04-23T14:00:00Z", "21 days: the end of Thursday 23 April");
        assertFalse(hardship.containsKey("FIVE_DAY_CLOSE"));
        Map<String, Instant> defaultNotice = due("AU_ASIC_RG271_DEFAULT_NOTICE", received);
        assertDue(defaultNotice, "FINAL_RESPONSE", "2026-04-23T14:00:00Z");
        assertEquals(at("2026-04-13T17:00", SYDNEY), defaultNotice.get("FIVE_DAY_CLOSE"));
        // A delay notification runs the deadline to the date it gave.
        DeadlineSpec fin = spec("AU_ASIC_RG271", "FINAL_RESPONSE");
        assertEquals(
                at("2026-05-15T17:00", SYDNEY),
                fin.extendedBy().due(received, Seeds.calendar("AU-NSW"), at("2026-05-15T17:00", SYDNEY)));
        assertEquals(
                null, fin.extendedBy().due(received, Seeds.calendar("AU-NSW"), null), "no date, nothing to extend to");
    }
}
