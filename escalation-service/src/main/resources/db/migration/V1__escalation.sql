-- escalation-service owns escalation rules (versioned data) and the escalations they raise. It keeps
-- its own copy of every case event it consumed, and a projection per case of what rules look at.

-- Every consumed event, whole, in the transaction of its ledger entry: the briefing reads it, and a
-- later dry-run replays it. The envelope is kept as bytes (jsonb refuses \u0000, PITFALLS 14).
CREATE TABLE case_history (
    seq          bigserial   PRIMARY KEY,
    event_id     uuid        NOT NULL UNIQUE,
    case_id      uuid        NOT NULL,
    type         text        NOT NULL,
    time         timestamptz NOT NULL,
    topic        text        NOT NULL,
    envelope     bytea       NOT NULL,
    recorded_at  timestamptz NOT NULL
);
CREATE INDEX case_history_case ON case_history (case_id, time, event_id);

-- What the rules see of a case, as of the last event applied.
CREATE TABLE case_projection (
    case_id                            uuid        PRIMARY KEY,
    reference                          text,
    customer_id                        text,
    summary                            text,
    severity                           text,
    category                           text,
    product                            text,
    regulatory_profile                 text,
    level                              text        NOT NULL,
    assignee                           text,
    status                             text,
    tones                              text        NOT NULL DEFAULT '',
    boundary_warnings                  integer     NOT NULL DEFAULT 0,
    conversations_ended                integer     NOT NULL DEFAULT 0,
    solutions_rejected                 integer     NOT NULL DEFAULT 0,
    reopenings                         integer     NOT NULL DEFAULT 0,
    promises_missed                    integer     NOT NULL DEFAULT 0,
    assistance_requests                integer     NOT NULL DEFAULT 0,
    manager_requests                   integer     NOT NULL DEFAULT 0,
    deadline_warnings                  integer     NOT NULL DEFAULT 0,
    deadline_breaches                  integer     NOT NULL DEFAULT 0,
    followups_dissatisfied             integer     NOT NULL DEFAULT 0,
    earlier_complaints                 integer     NOT NULL DEFAULT 0,
    received_at                        timestamptz,
    last_event_at                      timestamptz NOT NULL
);

-- A rule's identity; its content is in its versions. current_version names the live one.
CREATE TABLE rule (
    id               text        PRIMARY KEY,
    current_version  integer     NOT NULL,
    deleted          boolean     NOT NULL DEFAULT false
);

-- Every version ever saved stays readable; an escalation names the version that raised it.
CREATE TABLE rule_version (
    rule_id     text        NOT NULL REFERENCES rule (id),
    version     integer     NOT NULL,
    name        text        NOT NULL,
    condition   text        NOT NULL,
    target      text        NOT NULL,
    position    integer     NOT NULL,
    enabled     boolean     NOT NULL,
    reason      text        NOT NULL,
    deleted     boolean     NOT NULL DEFAULT false,
    saved_by    text        NOT NULL,
    saved_at    timestamptz NOT NULL,
    PRIMARY KEY (rule_id, version)
);

-- Whether a rule's condition held for a case after the last event: a rule fires only when it
-- turns from false to true, and re-arms when it is false again.
CREATE TABLE rule_state (
    case_id    uuid        NOT NULL,
    rule_id    text        NOT NULL,
    satisfied  boolean     NOT NULL,
    changed_at timestamptz NOT NULL,
    PRIMARY KEY (case_id, rule_id)
);

CREATE TABLE escalation (
    id            uuid        PRIMARY KEY,
    case_id       uuid        NOT NULL,
    reference     text,
    level         text        NOT NULL,
    previous_level text       NOT NULL,
    status        text        NOT NULL,
    rule_id       text        NOT NULL,
    rule_version  integer     NOT NULL,
    reason        text        NOT NULL,
    briefing      text        NOT NULL,
    cause_event_id uuid       NOT NULL,
    raised_at     timestamptz NOT NULL
);
-- Never two open escalations for one case and level.
CREATE UNIQUE INDEX escalation_open_per_level ON escalation (case_id, level) WHERE status <> 'RESOLVED';
CREATE INDEX escalation_case ON escalation (case_id, raised_at, id);
