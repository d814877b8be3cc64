-- The queue: who acknowledged and resolved an escalation, and how it ended.
ALTER TABLE escalation
    ADD COLUMN acknowledged_by text,
    ADD COLUMN acknowledged_at timestamptz,
    ADD COLUMN resolved_by     text,
    ADD COLUMN resolved_at     timestamptz,
    ADD COLUMN outcome         text;
-- The queue lists oldest first within a status and level.
CREATE INDEX escalation_queue ON escalation (status, level, raised_at, id);
CREATE INDEX escalation_raised ON escalation (raised_at, id);
