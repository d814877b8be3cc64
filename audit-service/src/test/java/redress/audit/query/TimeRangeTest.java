package redress.audit.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import redress.support.problem.Problem;
import redress.support.problem.ProblemException;

/** {@code from}/{@code to} of the auditor's queries: RFC 3339 times, a 400 naming the field otherwise. Plain JUnit. */
class TimeRangeTest {

    static Problem refused(Runnable r) {
        return assertThrows(ProblemException.class, r::run).problem();
    }

    static void assertNames(String field, Problem p) {
        assertEquals(400, p.status());
        assertEquals(
                List.of(field),
                p.errors().stream().map(Problem.FieldError::field).toList());
    }

    @Test
    void eitherEndMayBeOpen() {
        assertEquals(new TimeRange(null, null), TimeRange.parse(null, null));
        assertEquals(new TimeRange(null, null), TimeRange.parse("", "  "));
        assertEquals(
                new TimeRange(Instant.parse("2026-11-23T10:15:30Z"), null),
                TimeRange.parse("2026-11-23T10:15:30Z", null));
        assertEquals(
                new TimeRange(null, Instant.parse("2026-11-23T10:15:30Z")),
                TimeRange.parse(null, "2026-11-23T10:15:30Z"));
    }

    @Test
    void offsetsAndFractionsAreRfc3339() {
        TimeRange r = TimeRange.parse("2026-11-23T12:15:30+02:00", " 2026-11-23T05:15:30.123456-05:00 ");
        assertEquals(Instant.parse("2026-11-23T10:15:30Z"), r.from());
        assertEquals(Instant.parse("2026-11-23T10:15:30.123456Z"), r.to());
        assertEquals(Duration.ofNanos(123_456_000), r.length());
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "yesterday",
                "2026-11-23",
                "2026-11-23T10:15:30",
                "1732356930",
                "2026-13-01T00:00:00Z",
                "2026-11-23T25:00:00Z",
                "2026-11-23T10:15:30+25:00"
            })
    void anythingElseIsA400NamingTheField(String bad) {
        assertNames("from", refused(() -> TimeRange.parse(bad, null)));
        assertNames("to", refused(() -> TimeRange.parse(null, bad)));
    }

    @Test
    void toMustBeAfterFrom() {
        assertNames("to", refused(() -> TimeRange.parse("2026-11-23T10:15:30Z", "2026-11-23T10:15:30Z")));
        assertNames("to", refused(() -> TimeRange.parse("2026-11-23T10:15:30Z", "2026-11-23T10:15:29.999999Z")));
        // The same instant written with another offset is still the same instant.
        assertNames("to", refused(() -> TimeRange.parse("2026-11-23T10:15:30Z", "2026-11-23T11:15:30+01:00")));
        assertEquals(
                Duration.ofNanos(1000),
                TimeRange.parse("2026-11-23T10:15:30Z", "2026-11-23T10:15:30.000001Z")
                        .length());
    }

    @Test
    void aBoundedRangeNeedsBothEndsAndAtMostItsSpan() {
        Duration max = Duration.ofDays(31);
        assertNames("from", refused(() -> TimeRange.bounded(null, "2026-11-23T00:00:00Z", max)));
        assertNames("from", refused(() -> TimeRange.bounded(" ", "2026-11-23T00:00:00Z", max)));
        assertNames("to", refused(() -> TimeRange.bounded("2026-11-23T00:00:00Z", null, max)));
        assertEquals(
                max,
                TimeRange.bounded("2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z", max)
                        .length());
        Problem tooLong = refused(() -> TimeRange.bounded("2026-10-01T00:00:00Z", "2026-11-01T00:00:00.000001Z", max));
        assertNames("to", tooLong);
        assertTrue(tooLong.detail().contains("31 days"), tooLong.detail());
        assertNames("to", refused(() -> TimeRange.bounded("2026-11-02T00:00:00Z", "2026-11-01T00:00:00Z", max)));
    }

    @Test
    void openEndsAreNull() {
        TimeRange r = TimeRange.parse(null, "2026-11-23T10:15:30Z");
        assertNull(r.from());
    }
}
