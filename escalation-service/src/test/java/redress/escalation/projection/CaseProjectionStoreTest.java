package redress.escalation.projection;

import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The consumer reads and writes projections in batches ({@link CaseProjectionStore#lockedOrNew},
 * {@link CaseProjectionStore#saveAll}): every column written must come back as written, for many
 * cases at once, nulls included.
 */
@QuarkusTest
class CaseProjectionStoreTest {

    @Inject
    CaseProjectionStore store;

    @Test
    void everyColumnComesBackAsWritten() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        Instant received = Instant.parse("2026-10-01T09:15:30.123456Z");
        Instant last = Instant.parse("2026-10-03T17:00:00.000001Z");

        Map<UUID, CaseProjection> created =
                QuarkusTransaction.requiringNew().call(() -> store.lockedOrNew(Set.of(a, b)));
        assertEquals("AGENT", created.get(a).level);
        assertEquals("", created.get(a).satisfiedRules);

        QuarkusTransaction.requiringNew().run(() -> {
            Map<UUID, CaseProjection> all = store.lockedOrNew(Set.of(a, b));
            CaseProjection p = all.get(a);
            p.reference = "CMP-2026-000042";
            p.customerId = "C-store";
            p.summary = "Charged twice, \"quoted\", comma, and ünïcode";
            p.severity = "HIGH";
            p.category = "billing";
            p.product = "card";
            p.regulatoryProfile = "UK_FCA_DISP";
            p.level = "SUPERVISOR";
            p.assignee = "agent-7";
            p.status = "IN_PROGRESS";
            p.tones = "UPSET,ANGRY";
            p.boundaryWarnings = 1;
            p.conversationsEnded = 2;
            p.solutionsRejected = 3;
            p.reopenings = 4;
            p.promisesMissed = 5;
            p.assistanceRequests = 6;
            p.managerRequests = 7;
            p.deadlineWarnings = 8;
            p.deadlineBreaches = 9;
            p.followupsDissatisfied = 10;
            p.earlierComplaints = 11;
            p.coachingFindings = 12;
            p.receivedAt = received;
            p.lastEventAt = last;
            p.satisfiedRules = "critical-severity,tone-rising";
            all.get(b).lastEventAt = last;
            store.saveAll(all.values());
        });

        Map<UUID, CaseProjection> read = QuarkusTransaction.requiringNew().call(() -> store.lockedOrNew(Set.of(a, b)));
        CaseProjection p = read.get(a);
        assertEquals(
                List.of(
                        "CMP-2026-000042",
                        "C-store",
                        "Charged twice, \"quoted\", comma, and ünïcode",
                        "HIGH",
                        "billing",
                        "card",
                        "UK_FCA_DISP",
                        "SUPERVISOR",
                        "agent-7",
                        "IN_PROGRESS",
                        "UPSET,ANGRY",
                        "critical-severity,tone-rising"),
                List.of(
                        p.reference,
                        p.customerId,
                        p.summary,
                        p.severity,
                        p.category,
                        p.product,
                        p.regulatoryProfile,
                        p.level,
                        p.assignee,
                        p.status,
                        p.tones,
                        p.satisfiedRules));
        assertEquals(
                List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12),
                List.of(
                        p.boundaryWarnings,
                        p.conversationsEnded,
                        p.solutionsRejected,
                        p.reopenings,
                        p.promisesMissed,
                        p.assistanceRequests,
                        p.managerRequests,
                        p.deadlineWarnings,
                        p.deadlineBreaches,
                        p.followupsDissatisfied,
                        p.earlierComplaints,
                        p.coachingFindings));
        assertEquals(received, p.receivedAt);
        assertEquals(last, p.lastEventAt);
        CaseProjection untouched = read.get(b);
        assertEquals(null, untouched.reference);
        assertEquals(null, untouched.receivedAt);
        assertEquals(last, untouched.lastEventAt);
        // The queue's unlocked read of one case sees the same row.
        CaseProjection found = QuarkusTransaction.requiringNew().call(() -> store.find(a));
        assertEquals("critical-severity,tone-rising", found.satisfiedRules);
        assertEquals(received, found.receivedAt);
        // The customer lookups (repeat complaints) see the case as received.
        assertEquals(Map.of(a, received), QuarkusTransaction.requiringNew().call(() -> store.receivedOf("C-store")));
        assertEquals(
                Map.of("C-store", Map.of(a, received)),
                QuarkusTransaction.requiringNew().call(() -> store.receivedOf(Set.of("C-store", "C-nobody"))));
    }

    /**
     * Both consumers may apply events of one new case at once. The second batch must wait for the
     * first (which has no row to lock yet) and fold into the row it wrote, not into defaults of its
     * own: otherwise the first batch's count is lost when the second writes.
     */
    @Test
    void aSecondBatchOnANewCaseWaitsForTheFirstAndFoldsIntoItsRow() throws Exception {
        UUID a = UUID.randomUUID();
        CountDownLatch firstHolds = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try {
            CompletableFuture<Void> first = CompletableFuture.runAsync(() -> QuarkusTransaction.requiringNew()
                    .run(() -> {
                        CaseProjection p = store.lockedOrNew(Set.of(a)).get(a);
                        p.deadlineWarnings++;
                        p.lastEventAt = Instant.parse("2026-10-03T17:00:00Z");
                        firstHolds.countDown();
                        try {
                            assertTrue(release.await(20, SECONDS));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException(e);
                        }
                        store.saveAll(List.of(p));
                    }));
            assertTrue(firstHolds.await(20, SECONDS));
            CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() -> QuarkusTransaction.requiringNew()
                    .call(() -> {
                        CaseProjection p = store.lockedOrNew(Set.of(a)).get(a);
                        p.deadlineWarnings++;
                        p.lastEventAt = Instant.parse("2026-10-03T17:00:01Z");
                        store.saveAll(List.of(p));
                        return p.deadlineWarnings;
                    }));
            assertThrows(TimeoutException.class, () -> second.get(500, MILLISECONDS), "the second batch waits");
            release.countDown();
            first.get(20, SECONDS);
            assertEquals(2, second.get(20, SECONDS), "the second batch folds into the first one's row");
        } finally {
            release.countDown();
        }
        assertEquals(2, QuarkusTransaction.requiringNew().call(() -> store.find(a)).deadlineWarnings);
    }
}
