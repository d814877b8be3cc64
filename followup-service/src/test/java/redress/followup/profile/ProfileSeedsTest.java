package redress.followup.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
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
 * migration and the calendars and holidays of V2: a wrong seed fails them.
 */
class ProfileSeedsTest {

    static final ZoneId LONDON = ZoneId.of("Europe/London");
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
    static final ZoneId SYDNEY = ZoneId.of("Australia/Sydney");
    static final Set<String> CALENDARS = Set.of("GB-EAW", "US", "AU-NSW", "ALWAYS");

    static final Map<String, ProfileDefinition> SEEDED = seeded();

    static Map<String, ProfileDefinition> seeded() {
        Matcher m = Pattern.compile("^\\('([A-Z0-9_]+)', 1, '(\\{.*\\})', 'migration', now\\(\\)\\)", Pattern.MULTILINE)
                .matcher(Seeds.migration("V3__profiles.sql"));
        Map<String, ProfileDefinition> all = new LinkedHashMap<>();
        ObjectMapper mapper = new ObjectMapper();
        while (m.find()) {
            try {
                all.put(m.group(1), mapper.readValue(m.group(2), ProfileDefinition.class));
            } catch (Exception e) {
                throw new AssertionError("profile " + m.group(1) + " does not read: " + e.getMessage());
            }
        }
        return all;
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

    static DeadlineSpec spec(String profile, String kind) {
        return SEEDED.get(profile).deadlines().stream().filter(s -> s.kind().equals(kind)).findFirst().orElseThrow();
    }

    @Test
    void everyProfileNameIntakeAcceptsIsInstalled() {
        assertTrue(SEEDED.keySet().containsAll(RegulatoryProfiles.ALL), SEEDED.keySet().toString());
        assertEquals(List.of("DEFAULT", "UK_FCA_DISP", "US_CFPB", "AU_ASIC_RG271"), RegulatoryProfiles.ALL);
        assertEquals(Set.of("DEFAULT", "UK_FCA_DISP", "US_CFPB", "AU_ASIC_RG271", "AU_ASIC_RG271_SUPER", "DEMO"), SEEDED.keySet());
    }

    @Test
    void everySeededDefinitionPassesTheChecksAPutWouldApply() {
        SEEDED.forEach((name, d) -> assertEquals(List.of(), ProfileChecks.problems(d, CALENDARS::contains), name));
    }

    @Test
    void regulatoryClocksNeverPause() {
        for (String name : List.of("UK_FCA_DISP", "US_CFPB", "AU_ASIC_RG271", "AU_ASIC_RG271_SUPER")) {
            SEEDED.get(name).deadlines().forEach(s -> assertFalse(s.pausable(), name + " " + s.kind()));
        }
        assertTrue(spec("DEFAULT", "FINAL_RESPONSE").pausable(), "the firm's own levels pause while awaiting the customer");
    }

    @Test
    void ukFcaDispReceivedOnChristmasEve2026() {
        Map<String, Instant> due = due("UK_FCA_DISP", at("2026-12-24T15:00", LONDON));
        // Acknowledgement (the firm's "prompt"): close of the first business day after receipt. 25th, the
        // weekend and the 28th (Boxing Day's substitute) are not business days.
        assertEquals(Instant.parse("2026-12-29T17:00:00Z"), due.get("ACKNOWLEDGEMENT"));
        // DISP 1.5: close of business on the third business day after the day of receipt: 29, 30, 31 December.
        assertEquals(Instant.parse("2026-12-31T17:00:00Z"), due.get("SUMMARY_RESOLUTION"));
        // DISP 1.6.2R: the end of eight weeks after receipt: the end of Thursday 18 February 2027.
        assertEquals(Instant.parse("2027-02-19T00:00:00Z"), due.get("FINAL_RESPONSE"));
        DeadlineSpec summary = spec("UK_FCA_DISP", "SUMMARY_RESOLUTION");
        assertFalse(summary.breachable(), "a window: met or missed, never breached");
        assertEquals(List.of(), summary.warnAt());
        assertEquals(DeadlineSpec.RESOLVED, summary.metBy());
        assertEquals(List.of(0.5, 0.8), spec("UK_FCA_DISP", "FINAL_RESPONSE").warnAt());
    }

    @Test
    void ukEightWeeksAcrossTheEndOfSummerTime() {
        // Received Friday 11 September 2026 10:00 BST; 8 weeks later is Friday 6 November, in GMT.
        Map<String, Instant> due = due("UK_FCA_DISP", at("2026-09-11T10:00", LONDON));
        assertEquals(Instant.parse("2026-11-07T00:00:00Z"), due.get("FINAL_RESPONSE"));
        assertEquals(Instant.parse("2026-09-16T16:00:00Z"), due.get("SUMMARY_RESOLUTION"), "Wednesday 16 September 17:00 BST");
    }

    @Test
    void theFirmsDefaultLevels() {
        Map<String, Instant> due = due("DEFAULT", at("2026-12-24T15:00", LONDON));
        assertEquals(Instant.parse("2026-12-29T17:00:00Z"), due.get("ACKNOWLEDGEMENT"));
        // 16 business hours: 2 on the 24th, 8 on the 29th, 6 on the 30th.
        assertEquals(Instant.parse("2026-12-30T15:00:00Z"), due.get("FIRST_RESPONSE"));
        // 10 business days after the 24th: 29, 30, 31 Dec, (1 Jan a holiday) 4–8 Jan, 11, 12 Jan.
        assertEquals(Instant.parse("2027-01-12T17:00:00Z"), due.get("FINAL_RESPONSE"));
        assertEquals(new ProfileDefinition.FollowupSpec("PT16H", "PT40H"), SEEDED.get("DEFAULT").followup());
    }

    @Test
    void usCfpbAcrossTheStartOfDaylightSavingTime() {
        // Received Friday 27 February 2026 20:00 EST: already Saturday 01:00 in UTC; the days count from New York's date.
        Instant received = at("2026-02-27T20:00", NEW_YORK);
        assertEquals(Instant.parse("2026-02-28T01:00:00Z"), received);
        Map<String, Instant> due = due("US_CFPB", received);
        assertEquals(Instant.parse("2026-03-02T22:00:00Z"), due.get("ACKNOWLEDGEMENT"), "Monday 2 March 17:00 EST");
        // 15 calendar days: the end of Saturday 14 March, midnight EDT (UTC-4 since 8 March).
        assertEquals(Instant.parse("2026-03-15T04:00:00Z"), due.get("FIRST_RESPONSE"));
        // 60 calendar days: the end of Tuesday 28 April.
        assertEquals(Instant.parse("2026-04-29T04:00:00Z"), due.get("FINAL_RESPONSE"));
    }

    @Test
    void usCfpbOverIndependenceDay() {
        Map<String, Instant> due = due("US_CFPB", at("2026-07-02T12:00", NEW_YORK));
        assertEquals(at("2026-07-06T17:00", NEW_YORK), due.get("ACKNOWLEDGEMENT"), "3 July is the observed holiday");
        assertEquals(at("2026-07-18T00:00", NEW_YORK), due.get("FIRST_RESPONSE"), "calendar days: holidays do not matter");
    }

    @Test
    void auAsicRg271ReceivedOnASaturdayInSydney() {
        // Friday 23:30 UTC is Saturday 10:30 AEDT.
        Map<String, Instant> due = due("AU_ASIC_RG271", Instant.parse("2026-03-06T23:30:00Z"));
        // One business day of working time: Monday 9 March 17:00 AEDT.
        assertEquals(Instant.parse("2026-03-09T06:00:00Z"), due.get("ACKNOWLEDGEMENT"));
        // 30 calendar days from Saturday 7 March: the end of Monday 6 April, after DST ended (AEST, UTC+10).
        assertEquals(Instant.parse("2026-04-06T14:00:00Z"), due.get("FINAL_RESPONSE"));
        assertEquals(Instant.parse("2026-04-21T14:00:00Z"), due("AU_ASIC_RG271_SUPER", Instant.parse("2026-03-06T23:30:00Z"))
                .get("FINAL_RESPONSE"), "45 days for superannuation: the end of 21 April");
    }

    @Test
    void auAcknowledgementIs24HoursOnABusinessDayAndSkipsEaster() {
        // Received Wednesday 1 April 10:00 AEDT: 7 hours that day, 1 on Thursday: 24 elapsed hours.
        assertEquals(at("2026-04-02T10:00", SYDNEY), due("AU_ASIC_RG271", at("2026-04-01T10:00", SYDNEY)).get("ACKNOWLEDGEMENT"));
        // Received Thursday 2 April 16:00: 1 hour that day; Good Friday to Easter Monday skipped; Tuesday 16:00 AEST.
        assertEquals(Instant.parse("2026-04-07T06:00:00Z"), due("AU_ASIC_RG271", at("2026-04-02T16:00", SYDNEY)).get("ACKNOWLEDGEMENT"));
    }

    @Test
    void theDemoProfileFiresWithinAMinute() {
        Instant received = Instant.parse("2026-05-01T12:00:00Z");
        Map<String, Instant> due = due("DEMO", received);
        assertEquals(received.plusSeconds(20), due.get("ACKNOWLEDGEMENT"));
        assertEquals(received.plusSeconds(30), due.get("FIRST_RESPONSE"));
        assertEquals(received.plusSeconds(40), due.get("FINAL_RESPONSE"));
        assertEquals(new ProfileDefinition.FollowupSpec("PT5S", "PT20S"), SEEDED.get("DEMO").followup());
    }
}
