-- audit-service: the immutable documentation log. Run by the owner (Flyway); the service itself
-- connects as ${writer_role}, which may only INSERT and SELECT on the log and its checkpoints.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${writer_role}') THEN
        CREATE ROLE ${writer_role} LOGIN PASSWORD '${writer_password}';
    END IF;
END
$$;

-- One row per well-formed envelope received, known type or not. `canonical` holds the exact
-- bytes that were hashed (RFC 8785 JCS of the entry, see docs/audit-log.md); the other columns
-- are copies for queries. seq is gap-free: assigned under a transaction-scoped advisory lock,
-- never from a PostgreSQL sequence.
CREATE TABLE audit_entry (
    seq          bigint      PRIMARY KEY,
    case_seq     bigint      NOT NULL,
    event_id     uuid        NOT NULL UNIQUE,
    event_type   text        NOT NULL,
    case_id      text        NOT NULL,
    customer_id  text,
    actor_type   text,
    actor_id     text,
    event_time   timestamptz NOT NULL,
    recorded_at  timestamptz NOT NULL,
    canonical    bytea       NOT NULL,
    leaf_hash    bytea       NOT NULL,
    chain_hash   bytea       NOT NULL,
    envelope     jsonb       NOT NULL,
    UNIQUE (case_id, case_seq)
);
CREATE INDEX audit_entry_customer ON audit_entry (customer_id, seq);
CREATE INDEX audit_entry_type ON audit_entry (event_type, seq);
CREATE INDEX audit_entry_actor ON audit_entry (actor_id, seq);
CREATE INDEX audit_entry_recorded ON audit_entry (recorded_at, seq);

-- Signed heads of the chain. The statement is the exact signed text (JCS); copies of every
-- checkpoint also go to the topic audit.checkpoints, outside this database.
CREATE TABLE audit_checkpoint (
    seq          bigint      PRIMARY KEY,
    chain_hash   bytea       NOT NULL,
    created_at   timestamptz NOT NULL,
    key_id       text        NOT NULL,
    statement    text        NOT NULL,
    signature    bytea       NOT NULL
);

-- The database itself refuses to change history, whoever asks.
CREATE FUNCTION audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_checkpoint_append_only BEFORE UPDATE OR DELETE ON audit_checkpoint
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
CREATE TRIGGER audit_checkpoint_no_truncate BEFORE TRUNCATE ON audit_checkpoint
    FOR EACH STATEMENT EXECUTE FUNCTION audit_refuse_change();

-- What the stream filters and insights need about each case; an ordinary, changing table.
CREATE TABLE case_projection (
    case_id      text        PRIMARY KEY,
    reference    text,
    customer_id  text,
    category     text,
    product      text,
    severity     text,
    level        text,
    received_at  timestamptz,
    escalated    boolean     NOT NULL DEFAULT false,
    reopened     boolean     NOT NULL DEFAULT false
);
CREATE INDEX case_projection_received ON case_projection (received_at);

GRANT USAGE ON SCHEMA public TO ${writer_role};
GRANT SELECT, INSERT ON audit_entry, audit_checkpoint TO ${writer_role};
GRANT SELECT, INSERT, UPDATE, DELETE ON outbox, processed_event, case_projection TO ${writer_role};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${writer_role};
