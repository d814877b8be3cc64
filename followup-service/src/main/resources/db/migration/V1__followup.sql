-- followup-service owns what must happen later: deadlines, promises and satisfaction follow-ups.
-- These tables hold the truth; the waker only reads next_at to know when to look again. Firing is a
-- guarded state change (WHERE version = ?) with its outbox row, in one transaction.

-- What this service knows of a case: its profile (the version that applied at receipt) and the
-- state its pausable clocks depend on.
CREATE TABLE case_state (
    case_id          uuid        PRIMARY KEY,
    reference        text,
    customer_id      text,
    profile          text,
    profile_version  integer,
    received_at      timestamptz,
    status           text,
    paused_since     timestamptz,
    updated_at       timestamptz NOT NULL
);

-- A deadline of a case: when it started, when it is due, its stage (warnings sent), and whether it
-- was met, breached (missed, for a window that is never "breached"), or cancelled.
CREATE TABLE deadline (
    id               uuid        PRIMARY KEY,
    case_id          uuid        NOT NULL,
    kind             text        NOT NULL,
    profile          text        NOT NULL,
    profile_version  integer     NOT NULL,
    calendar         text        NOT NULL,
    spec             text        NOT NULL,
    escalation_id    uuid,
    started_at       timestamptz NOT NULL,
    due_at           timestamptz NOT NULL,
    allowed_seconds  bigint      NOT NULL,
    extension_seconds bigint     NOT NULL DEFAULT 0,
    state            text        NOT NULL,
    warnings_sent    integer     NOT NULL DEFAULT 0,
    paused_at        timestamptz,
    met_at           timestamptz,
    fired_at         timestamptz,
    next_at          timestamptz,
    version          integer     NOT NULL DEFAULT 0
);
CREATE INDEX deadline_case ON deadline (case_id, started_at);
CREATE INDEX deadline_wake ON deadline (next_at) WHERE next_at IS NOT NULL;
CREATE INDEX deadline_at_risk ON deadline (state, due_at) WHERE state = 'PENDING';

-- A promise an agent made to the customer (promise.made), kept (promise.kept) or missed.
CREATE TABLE promise (
    id               uuid        PRIMARY KEY,
    case_id          uuid        NOT NULL,
    reference        text,
    text             text,
    due_at           timestamptz NOT NULL,
    state            text        NOT NULL,
    kept_at          timestamptz,
    missed_at        timestamptz,
    next_at          timestamptz,
    version          integer     NOT NULL DEFAULT 0
);
CREATE INDEX promise_case ON promise (case_id);
CREATE INDEX promise_wake ON promise (next_at) WHERE next_at IS NOT NULL;

-- A satisfaction follow-up: scheduled at resolution, due after the profile's delay, then a
-- reminder, then NO_RESPONSE when nobody recorded an outcome within the window.
CREATE TABLE followup (
    id               uuid        PRIMARY KEY,
    case_id          uuid        NOT NULL,
    reference        text,
    customer_id      text,
    kind             text        NOT NULL,
    calendar         text        NOT NULL,
    scheduled_at     timestamptz NOT NULL,
    due_at           timestamptz NOT NULL,
    remind_at        timestamptz NOT NULL,
    respond_by       timestamptz NOT NULL,
    reminded_at      timestamptz,
    state            text        NOT NULL,
    attempts         integer     NOT NULL DEFAULT 0,
    reached          boolean,
    satisfied        boolean,
    rating           integer,
    feedback         text,
    completed_by     text,
    completed_at     timestamptz,
    next_at          timestamptz,
    seq              bigserial   NOT NULL UNIQUE,
    version          integer     NOT NULL DEFAULT 0
);
CREATE INDEX followup_case ON followup (case_id);
CREATE INDEX followup_state ON followup (state, seq);
CREATE INDEX followup_wake ON followup (next_at) WHERE next_at IS NOT NULL;
