-- Issue 29: final response letters.

-- Letter templates, per regulatory profile and language, versioned: a version is never changed, a
-- change is the next version. body is a Qute template of XHTML; elements are the codes of the
-- regulatory statements its wording contains (redress.events.ResponseRequirements); time_zone
-- dates the letter.
CREATE TABLE letter_template (
    id         uuid        PRIMARY KEY,
    profile    text        NOT NULL,
    language   text        NOT NULL,
    version    integer     NOT NULL CHECK (version > 0),
    body       text        NOT NULL,
    elements   text[]      NOT NULL,
    time_zone  text        NOT NULL,
    reason     text        NOT NULL,
    created_by text        NOT NULL,
    created_at timestamptz NOT NULL,
    UNIQUE (profile, language, version)
);

-- A letter keeps what it was drafted from, not its rendering: the template version and the case's
-- data at the draft, without the customer's name, which is opened from the sealed customer each
-- time the letter is rendered (an erasure makes it unrenderable). Rendering is deterministic, so
-- document_sha256 (of the PDF) is what every later rendering gives.
CREATE TABLE letter (
    id              uuid        PRIMARY KEY,
    case_id         uuid        NOT NULL REFERENCES complaint (id),
    template_id     uuid        NOT NULL REFERENCES letter_template (id),
    data            jsonb       NOT NULL,
    document_sha256 text        NOT NULL,
    status          text        NOT NULL,
    drafted_by      text        NOT NULL,
    drafted_at      timestamptz NOT NULL,
    approved_by     text,
    approved_at     timestamptz,
    sent_by         text,
    sent_at         timestamptz,
    interaction_id  uuid,
    CHECK (approved_by IS NULL OR approved_by <> drafted_by)
);
CREATE INDEX letter_case ON letter (case_id, drafted_at, id);

-- The SHA-256 of the document a written response sent, when intake-service rendered it.
ALTER TABLE interaction ADD COLUMN document_sha256 text;
