package redress.audit.log;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Told of each new head of the chain inside the append's transaction, while it holds the head
 * lock: the checkpoints sign it when one is due. An interface, so that the log does not depend on
 * the checkpoints that depend on it.
 */
public interface HeadListener {

    void headMoved(Connection c, AuditLog.Head head) throws SQLException;
}
