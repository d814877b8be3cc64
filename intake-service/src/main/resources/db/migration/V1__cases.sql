-- intake-service owns cases: their lifecycle, interactions, promises and ownership.

CREATE TABLE complaint (
    id                  uuid        PRIMARY KEY,
    reference           text        NOT NULL UNIQUE,
    customer_id         text        NOT NULL,
    customer_name       text,
    customer_email      text,
    customer_phone      text,
    channel             text        NOT NULL,
    category            text        NOT NULL,
    product             text,
    summary             text        NOT NULL,
    description         text,
    severity            text        NOT NULL,
    level               text        NOT NULL,
    assignee            text,
    status              text        NOT NULL,
    regulatory_profile  text        NOT NULL,
    external_reference  text,
    submitted_by        text        NOT NULL,
    received_at         timestamptz NOT NULL,
    acknowledged_at     timestamptz,
    resolved_at         timestamptz,
    resolution_summary  text,
    closed_at           timestamptz,
    reopen_count        integer     NOT NULL DEFAULT 0,
    missed_promises     integer     NOT NULL DEFAULT 0,
    updated_at          timestamptz NOT NULL,
    version             bigint      NOT NULL DEFAULT 0
);
-- Keyset pagination: newest first, (received_at, id) is unique and never changes.
CREATE INDEX complaint_received ON complaint (received_at DESC, id DESC);
CREATE INDEX complaint_customer ON complaint (customer_id, received_at DESC, id DESC);
CREATE INDEX complaint_status ON complaint (status, received_at DESC, id DESC);
CREATE INDEX complaint_assignee ON complaint (assignee, received_at DESC, id DESC) WHERE assignee IS NOT NULL;

-- References CMP-<year>-<6 digits> come from one sequence per UTC year, complaint_ref_<year>,
-- created on first use (ReferenceNumbers). A sequence never blocks concurrent submissions;
-- a submission that fails after taking a number leaves a gap.

-- Idempotency-Key of a submitting system: the first statement of a submission claims it.
CREATE TABLE idempotency_key (
    submitter     text        NOT NULL,
    key           text        NOT NULL,
    request_hash  text        NOT NULL,
    complaint_id  uuid        REFERENCES complaint (id),
    created_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (submitter, key)
);

CREATE TABLE interaction (
    id            uuid        PRIMARY KEY,
    complaint_id  uuid        NOT NULL REFERENCES complaint (id),
    kind          text        NOT NULL,
    text          text        NOT NULL,
    direction     text,
    channel       text,
    tone          text,
    promise_id    uuid,
    actor_type    text        NOT NULL,
    actor_id      text        NOT NULL,
    occurred_at   timestamptz NOT NULL
);
CREATE INDEX interaction_complaint ON interaction (complaint_id, occurred_at, id);

CREATE TABLE promise (
    id              uuid        PRIMARY KEY,
    complaint_id    uuid        NOT NULL REFERENCES complaint (id),
    interaction_id  uuid        NOT NULL REFERENCES interaction (id),
    text            text        NOT NULL,
    due_at          timestamptz NOT NULL,
    status          text        NOT NULL,
    made_by         text        NOT NULL,
    made_at         timestamptz NOT NULL,
    kept_at         timestamptz,
    missed_at       timestamptz
);
CREATE INDEX promise_complaint ON promise (complaint_id, made_at, id);
