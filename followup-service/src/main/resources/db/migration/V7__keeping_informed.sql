-- Keeping the customer informed (docs/followup.md, "Keeping the customer informed"; issue 31).

-- When the customer last heard from the firm: the receipt, the acknowledgement, or the latest outbound
-- contact (an OUTBOUND interaction or a written response), and what it was.
ALTER TABLE case_state ADD COLUMN last_heard_at timestamptz;
ALTER TABLE case_state ADD COLUMN last_heard_by text;

-- A progress-update reminder: at most one PENDING or DUE per case. PENDING until due_at (the
-- profile's cadence after last_heard_at), then DUE (progress-update.due emitted once, due_event_id)
-- until an outbound contact SENDS it (sent_by_event_id, sent_by_kind); CANCELLED when the case is
-- resolved or closed, or its new profile has no cadence.
CREATE TABLE progress_update (
    id                uuid        PRIMARY KEY,
    case_id           uuid        NOT NULL,
    reference         text,
    customer_id       text,
    profile           text        NOT NULL,
    profile_version   integer     NOT NULL,
    calendar          text        NOT NULL,
    cadence           text        NOT NULL,
    working_days      integer,
    last_heard_at     timestamptz NOT NULL,
    last_heard_by     text        NOT NULL,
    due_at            timestamptz NOT NULL,
    state             text        NOT NULL,
    due_event_id      uuid,
    fired_at          timestamptz,
    sent_at           timestamptz,
    sent_by_event_id  uuid,
    sent_by_kind      text,
    cancelled_at      timestamptz,
    created_at        timestamptz NOT NULL,
    next_at           timestamptz,
    seq               bigserial,
    version           integer     NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX progress_update_open ON progress_update (case_id) WHERE state IN ('PENDING', 'DUE');
CREATE INDEX progress_update_case ON progress_update (case_id, seq);
CREATE INDEX progress_update_state ON progress_update (state, due_at);
CREATE INDEX progress_update_wake ON progress_update (next_at) WHERE next_at IS NOT NULL;

-- A notice suggested to the agent when an escalation hands the case over: SUGGESTED until an outbound
-- contact after the escalation SENDS it; CANCELLED when the case is resolved or closed first.
CREATE TABLE customer_notice (
    id                uuid        PRIMARY KEY,
    case_id           uuid        NOT NULL,
    reference         text,
    escalation_id     uuid        NOT NULL UNIQUE,
    level             text        NOT NULL,
    text              text        NOT NULL,
    response_due_at   timestamptz,
    suggested_at      timestamptz NOT NULL,
    state             text        NOT NULL,
    sent_at           timestamptz,
    sent_by_event_id  uuid,
    sent_by_kind      text,
    cancelled_at      timestamptz,
    seq               bigserial,
    version           integer     NOT NULL DEFAULT 0
);
CREATE INDEX customer_notice_case ON customer_notice (case_id, seq);
CREATE INDEX customer_notice_state ON customer_notice (state, suggested_at);

-- A new version of every installed profile with its progress-update cadence (the firm's own figure:
-- DISP 1.6.1R asks to "keep the complainant informed thereafter" and sets no interval). Each becomes
-- its profile's current version, numbered after whatever is there; cases keep the version of their
-- receipt, so cases received before this version get no reminders. The definitions are the current
-- ones with "progressUpdate" added, nothing else changed.
INSERT INTO profile_version (name, version, definition, saved_by, saved_at)
SELECT p.name, p.current_version + 1,
       (v.definition::jsonb || jsonb_build_object('progressUpdate', c.cadence::jsonb))::text,
       'migration', now()
FROM (VALUES
('DEFAULT', '{"everyWorkingDays":5}'),
('UK_FCA_DISP', '{"everyWorkingDays":5}'),
('UK_FCA_DISP_PSD', '{"everyWorkingDays":5}'),
('US_CFPB', '{"everyWorkingDays":5}'),
('AU_ASIC_RG271', '{"everyWorkingDays":5}'),
('AU_ASIC_RG271_SUPER', '{"everyWorkingDays":5}'),
('AU_ASIC_RG271_HARDSHIP', '{"everyWorkingDays":5}'),
('AU_ASIC_RG271_DEFAULT_NOTICE', '{"everyWorkingDays":5}'),
('DEMO', '{"every":"PT45S"}')
) AS c (name, cadence)
JOIN profile p ON p.name = c.name
JOIN profile_version v ON v.name = p.name AND v.version = p.current_version;

UPDATE profile SET current_version = current_version + 1
WHERE name IN ('DEFAULT', 'UK_FCA_DISP', 'UK_FCA_DISP_PSD', 'US_CFPB', 'AU_ASIC_RG271', 'AU_ASIC_RG271_SUPER',
               'AU_ASIC_RG271_HARDSHIP', 'AU_ASIC_RG271_DEFAULT_NOTICE', 'DEMO');
