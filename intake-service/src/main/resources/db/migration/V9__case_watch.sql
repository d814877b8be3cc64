-- Issue 31: escalation that helps the agent instead of replacing them. A WATCH escalation leaves the
-- case with its assignee and level; a person at the escalation's level watches it ("show them that
-- you are their advocate within the company") and may take it over with one call. One row a watch,
-- keyed by the escalation that asked for it (a redelivered escalation.raised adds nothing); it ends
-- when taken over, when the case is handed over at or above its level, when the case is closed, or
-- when escalation-service resolves the escalation.
CREATE TABLE case_watch (
    escalation_id uuid        PRIMARY KEY,
    complaint_id  uuid        NOT NULL REFERENCES complaint (id),
    level         text        NOT NULL,
    reason        text,
    rule_id       text,
    briefing      text,
    since         timestamptz NOT NULL,
    ended_at      timestamptz,
    ended_by      text,
    end_reason    text
);
CREATE INDEX case_watch_open ON case_watch (complaint_id, since) WHERE ended_at IS NULL;
