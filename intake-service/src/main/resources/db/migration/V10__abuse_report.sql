-- Issue 31: abuse is always reported (seed 001, "Protect Your Boundaries": "If they become abusive or
-- threatening, end the conversation and report it to your supervisor"). A CONVERSATION_ENDED whose
-- conversation's last customer contact was ABUSIVE or THREATENING files one report, in the same
-- transaction, whatever the case's level; the case does not move for it. The record is the ids of
-- the conversation's interactions (the texts stay on the interactions). A supervisor other than the
-- agent who ended the conversation acknowledges it once; the break offered to that agent is recorded
-- once as a debrief (taken or declined, minutes and a note optional). Rows are never deleted.
CREATE TABLE abuse_report (
    id              uuid        PRIMARY KEY,
    complaint_id    uuid        NOT NULL REFERENCES complaint (id),
    interaction_id  uuid        NOT NULL UNIQUE REFERENCES interaction (id),
    tone            text        NOT NULL CHECK (tone IN ('ABUSIVE', 'THREATENING')),
    ended_by        text        NOT NULL,
    level           text        NOT NULL,
    record_ids      uuid[]      NOT NULL,
    reported_at     timestamptz NOT NULL,
    acknowledged_by text,
    acknowledged_at timestamptz,
    debriefed_by    text,
    debriefed_at    timestamptz,
    break_taken     boolean,
    break_minutes   integer     CHECK (break_minutes > 0),
    debrief_note    text,
    CHECK ((acknowledged_by IS NULL) = (acknowledged_at IS NULL)),
    CHECK (acknowledged_by IS NULL OR acknowledged_by <> ended_by),
    CHECK ((debriefed_by IS NULL) = (debriefed_at IS NULL) AND (debriefed_at IS NULL) = (break_taken IS NULL))
);
CREATE INDEX abuse_report_open ON abuse_report (reported_at, id) WHERE acknowledged_at IS NULL;
CREATE INDEX abuse_report_case ON abuse_report (complaint_id, reported_at);
