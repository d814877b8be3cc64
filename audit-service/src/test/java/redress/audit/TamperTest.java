package redress.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import redress.audit.log.AuditLog;
import redress.audit.log.Canonical;
import redress.audit.log.Received;
import redress.events.CaseEvent;
import redress.events.EventCodec;
import redress.events.Topics;
import redress.testsupport.TestInfrastructure;

/**
 * Invariant 3: the log only grows. The service's role cannot change it; a superuser who can is
 * caught, at every level of effort. The superuser holds the head lock throughout (no append runs
 * meanwhile) and restores every row at the end.
 */
@QuarkusTest
@TestSecurity(
        user = "test-auditor",
        roles = {"auditor", "operator", "supervisor"})
class TamperTest {

    @Inject
    DataSource serviceRole;

    @Inject
    AuditLog log;

    record Row(long seq, byte[] canonical, byte[] leaf, byte[] chain) {}

    @Test
    void theServicesRoleCannotChangeTheLog() {
        UUID caseId = UUID.randomUUID();
        Events.publish(Events.received(caseId, "C-t", "billing", null));
        Events.awaitHistory(caseId, 1);
        for (String sql : List.of(
                "UPDATE audit_entry SET event_type = 'x' WHERE seq = 1",
                "DELETE FROM audit_entry WHERE seq = 1",
                "TRUNCATE audit_entry",
                "UPDATE audit_checkpoint SET key_id = 'x'",
                "DELETE FROM audit_checkpoint",
                "TRUNCATE audit_checkpoint")) {
            SQLException e = assertThrows(
                    SQLException.class,
                    () -> {
                        try (Connection c = serviceRole.getConnection();
                                Statement s = c.createStatement()) {
                            s.execute(sql);
                        }
                    },
                    sql);
            assertEquals("42501", e.getSQLState(), sql + ": " + e.getMessage()); // insufficient privilege
        }
    }

    @Test
    void tamperingIsCaughtAtEveryLevel() throws Exception {
        UUID caseId = UUID.randomUUID();
        Events.publish(Events.received(caseId, "C-u", "billing", null));
        for (int i = 0; i < 4; i++) {
            Events.publish(Events.interaction(caseId, "C-u", "step " + i));
        }
        JsonPath history = Events.awaitHistory(caseId, 5);
        long target = history.getLong("history[2].seq");
        // An auditor keeps a checkpoint taken now; the service also stores one.
        String saved = given().post("/audit/checkpoints")
                .then()
                .statusCode(anyOf(is(200), is(201)))
                .extract()
                .asString();
        given().get("/audit/verify").then().body("ok", is(true));

        var pg = TestInfrastructure.get().postgres();
        try (Connection su = pg.connect(dbName())) {
            su.setAutoCommit(true);
            try (PreparedStatement lock = su.prepareStatement("SELECT pg_advisory_lock(?)")) {
                lock.setLong(1, AuditLog.HEAD_LOCK);
                lock.execute();
            }
            // Even the owner is refused while the triggers stand.
            SQLException refused =
                    assertThrows(SQLException.class, () -> exec(su, "DELETE FROM audit_entry WHERE seq = " + target));
            assertTrue(refused.getMessage().contains("append-only"), refused.getMessage());

            List<Row> original = rowsFrom(su, target);
            List<String> checkpoints = checkpointsFrom(su, target);
            exec(su, "ALTER TABLE audit_entry DISABLE TRIGGER USER");
            exec(su, "ALTER TABLE audit_checkpoint DISABLE TRIGGER USER");
            try {
                // 1. Edit one entry's bytes.
                byte[] edited = new String(original.get(0).canonical(), StandardCharsets.UTF_8)
                        .replace("step 1", "step X")
                        .getBytes(StandardCharsets.UTF_8);
                setCanonical(su, target, edited);
                verifyFindsAt(target, "leaf-hash");
                restore(su, original);

                // 1b. Change a query column only (to hide the entry from a customer filter).
                exec(su, "UPDATE audit_entry SET customer_id = 'someone-else' WHERE seq = " + target);
                verifyFindsAt(target, "content").body("firstProblem.detail", containsString("customer_id"));
                exec(su, "UPDATE audit_entry SET customer_id = 'C-u' WHERE seq = " + target);

                // 2. Delete one entry.
                exec(su, "DELETE FROM audit_entry WHERE seq = " + target);
                verifyFindsAt(target, "missing");
                reinsert(su, target);
                restore(su, original);
                given().get("/audit/verify").then().body("ok", is(true));

                // 3. Edit it and recompute every later hash: the stored signed checkpoint disagrees.
                rewriteFrom(su, target, edited, original);
                JsonPath r = given().get("/audit/verify")
                        .then()
                        .body("ok", is(false))
                        .body("firstProblem.kind", is("checkpoint-mismatch"))
                        .extract()
                        .jsonPath();
                assertTrue(r.getLong("firstProblem.seq") >= target);

                // 4. ...and delete the stored checkpoints too: the log looks whole...
                exec(su, "DELETE FROM audit_checkpoint WHERE seq >= " + target);
                given().get("/audit/verify").then().body("ok", is(true));
                // ...but not to an auditor holding a checkpoint saved earlier.
                Events.postVerify(saved)
                        .statusCode(200)
                        .body("extendsCheckpoint", is(false))
                        .body("signatureValid", is(true))
                        .body("chainHashMatches", is(false))
                        .body("log.firstProblem.kind", is("saved-checkpoint"));
            } finally {
                restore(su, original);
                restoreCheckpoints(su, target, checkpoints);
                exec(su, "ALTER TABLE audit_entry ENABLE TRIGGER USER");
                exec(su, "ALTER TABLE audit_checkpoint ENABLE TRIGGER USER");
                exec(su, "SELECT pg_advisory_unlock_all()");
            }
        }
        given().get("/audit/verify").then().body("ok", is(true));
        Events.postVerify(saved).body("extendsCheckpoint", is(true));
    }

    /**
     * The walk checks a page's entries on several threads; whichever finishes first, the problem
     * reported is the one at the lowest sequence number. Problems of two kinds are planted across a
     * run of 1,200 entries, so that every slice of a page holds some.
     */
    @Test
    void theFirstProblemInSequenceOrderIsReportedWhateverTheThreads() throws Exception {
        UUID caseId = UUID.randomUUID();
        List<Received> batch = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            CaseEvent e = Events.interaction(caseId, "C-p", "bulk " + i);
            batch.add(new Received(e, EventCodec.mapper().readTree(EventCodec.encode(e)), Topics.CASE_EVENTS));
        }
        assertEquals(1200, log.append(batch));
        given().get("/audit/verify").then().body("ok", is(true));
        long head = given().get("/audit/verify").then().extract().jsonPath().getLong("headSeq");
        long first = head - 1150;

        try (Connection su = TestInfrastructure.get().postgres().connect(dbName())) {
            su.setAutoCommit(true);
            try (PreparedStatement lock = su.prepareStatement("SELECT pg_advisory_lock(?)")) {
                lock.setLong(1, AuditLog.HEAD_LOCK);
                lock.execute();
            }
            List<Row> original = rowsFrom(su, first);
            exec(su, "ALTER TABLE audit_entry DISABLE TRIGGER USER");
            try {
                long lowestContent = 0;
                for (long seq = head - 3; seq > first + 40; seq -= 97) {
                    exec(su, "UPDATE audit_entry SET customer_id = 'someone-else' WHERE seq = " + seq);
                    lowestContent = seq;
                }
                exec(
                        su,
                        "UPDATE audit_entry SET leaf_hash = '\\x" + "00".repeat(32) + "'::bytea WHERE seq = "
                                + (first + 40));
                given().get("/audit/verify")
                        .then()
                        .body("ok", is(false))
                        .body("firstProblem.seq", is((int) (first + 40)))
                        .body("firstProblem.kind", is("leaf-hash"));
                restore(su, List.of(original.get(40)));
                given().get("/audit/verify")
                        .then()
                        .body("ok", is(false))
                        .body("firstProblem.seq", is((int) lowestContent))
                        .body("firstProblem.kind", is("content"));
            } finally {
                exec(
                        su,
                        "UPDATE audit_entry SET customer_id = 'C-p' WHERE seq >= " + first
                                + " AND customer_id = 'someone-else'");
                restore(su, original);
                exec(su, "ALTER TABLE audit_entry ENABLE TRIGGER USER");
                exec(su, "SELECT pg_advisory_unlock_all()");
            }
        }
        given().get("/audit/verify").then().body("ok", is(true));
    }

    /** {@code GET /audit/verify} finds the log broken, first at {@code seq}, by a problem of {@code kind}. */
    private static ValidatableResponse verifyFindsAt(long seq, String kind) {
        return given().get("/audit/verify")
                .then()
                .body("ok", is(false))
                .body("firstProblem.seq", is((int) seq))
                .body("firstProblem.kind", is(kind));
    }

    private static String dbName() {
        return "audit";
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static List<Row> rowsFrom(Connection c, long seq) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT seq, canonical, leaf_hash, chain_hash FROM audit_entry WHERE seq >= ? ORDER BY seq")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getLong(1), rs.getBytes(2), rs.getBytes(3), rs.getBytes(4)));
                }
            }
        }
        return rows;
    }

    private static List<String> checkpointsFrom(Connection c, long seq) throws SQLException {
        List<String> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT seq FROM audit_checkpoint WHERE seq >= ?")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
        }
        exec(c, "CREATE TEMP TABLE IF NOT EXISTS saved_checkpoints AS SELECT * FROM audit_checkpoint WHERE false");
        exec(c, "INSERT INTO saved_checkpoints SELECT * FROM audit_checkpoint WHERE seq >= " + seq);
        exec(c, "CREATE TEMP TABLE IF NOT EXISTS saved_entry AS SELECT * FROM audit_entry WHERE seq = " + seq);
        return rows;
    }

    private static void setCanonical(Connection c, long seq, byte[] canonical) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE audit_entry SET canonical = ? WHERE seq = ?")) {
            ps.setBytes(1, canonical);
            ps.setLong(2, seq);
            ps.executeUpdate();
        }
    }

    /** What a determined insider does: change an entry and recompute every hash after it. */
    private static void rewriteFrom(Connection c, long seq, byte[] edited, List<Row> original) throws SQLException {
        byte[] prev;
        try (PreparedStatement ps = c.prepareStatement("SELECT chain_hash FROM audit_entry WHERE seq = ?")) {
            ps.setLong(1, seq - 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                prev = rs.getBytes(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE audit_entry SET canonical = ?, leaf_hash = ?, chain_hash = ? WHERE seq = ?")) {
            for (Row r : original) {
                byte[] canonical = r.seq() == seq ? edited : r.canonical();
                byte[] leaf = Canonical.leafHash(canonical);
                prev = Canonical.chainHash(prev, leaf);
                ps.setBytes(1, canonical);
                ps.setBytes(2, leaf);
                ps.setBytes(3, prev);
                ps.setLong(4, r.seq());
                ps.executeUpdate();
            }
        }
    }

    private static void restore(Connection c, List<Row> original) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE audit_entry SET canonical = ?, leaf_hash = ?, chain_hash = ? WHERE seq = ?")) {
            for (Row r : original) {
                ps.setBytes(1, r.canonical());
                ps.setBytes(2, r.leaf());
                ps.setBytes(3, r.chain());
                ps.setLong(4, r.seq());
                ps.executeUpdate();
            }
        }
    }

    private static void reinsert(Connection c, long seq) throws SQLException {
        exec(c, "INSERT INTO audit_entry SELECT * FROM saved_entry WHERE seq = " + seq + " ON CONFLICT DO NOTHING");
    }

    private static void restoreCheckpoints(Connection c, long seq, List<String> seqs) throws SQLException {
        exec(c, "INSERT INTO audit_checkpoint SELECT * FROM saved_checkpoints ON CONFLICT DO NOTHING");
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM audit_checkpoint WHERE seq >= ?")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertEquals(seqs.size(), rs.getInt(1), "checkpoints restored");
            }
        }
    }
}
