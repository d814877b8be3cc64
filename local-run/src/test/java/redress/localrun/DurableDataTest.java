package redress.localrun;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import org.junit.jupiter.api.Test;

import redress.localinfra.EmbeddedPostgres;
import redress.localinfra.Ports;

/**
 * The local run keeps its data between runs, so its PostgreSQL must survive a power cut (fsync and
 * full-page writes on); throw-away test servers may skip both for speed. Both let a vanished
 * client's session locks go within seconds (TCP keepalive).
 */
class DurableDataTest {

    @Test
    void keptDataIsWrittenDurablyAndThrowAwayDataNeedNotBe() throws Exception {
        assertEquals(Map.of("fsync", "on", "full_page_writes", "on", "tcp_keepalives_idle", "10"), settings(true));
        assertEquals(Map.of("fsync", "off", "full_page_writes", "off", "tcp_keepalives_idle", "10"), settings(false));
    }

    private static Map<String, String> settings(boolean keepData) throws Exception {
        Path dir = Files.createTempDirectory("redress-durable");
        try (EmbeddedPostgres pg = EmbeddedPostgres.start(dir.resolve("pg"), Ports.free(), keepData);
                Connection c = DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.user(), pg.password());
                Statement s = c.createStatement()) {
            return Map.of(
                    "fsync",
                    show(s, "fsync"),
                    "full_page_writes",
                    show(s, "full_page_writes"),
                    "tcp_keepalives_idle",
                    show(s, "tcp_keepalives_idle"));
        }
    }

    private static String show(Statement s, String setting) throws Exception {
        try (ResultSet rs = s.executeQuery("SHOW " + setting)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
