-- Issue 31: the post-case review (seed 001, "Learn from the experience": "Reflect on what went
-- well and what could have been handled better"). A RESOLVED or CLOSED case may be reviewed more
-- than once; each review is a row and a redress.case.reviewed event; rows are only added.
CREATE TABLE case_review (
    id               uuid        PRIMARY KEY,
    complaint_id     uuid        NOT NULL REFERENCES complaint (id),
    went_well        text,
    could_be_better  text,
    root_cause       text,
    taxonomy_version integer,
    reviewed_by      text        NOT NULL,
    reviewed_at      timestamptz NOT NULL
);
CREATE INDEX case_review_case ON case_review (complaint_id, reviewed_at, id);
