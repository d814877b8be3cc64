-- Issue 29: outcomes, the complaint taxonomy, the redress ledger.

-- The complaint taxonomy (product groups and root causes, each mapped to the regulators' codes),
-- versioned as a whole: a version is never changed, a change is a new version and a
-- redress.taxonomy.changed event carrying it.
CREATE TABLE taxonomy_version (
    version    integer     PRIMARY KEY,
    document   jsonb       NOT NULL,
    reason     text        NOT NULL,
    created_by text        NOT NULL,
    created_at timestamptz NOT NULL
);

-- What the last resolution decided (outcome, root cause, under which taxonomy version) and the
-- case's product group (set by a reclassification or the resolution).
ALTER TABLE complaint
    ADD COLUMN product_group    text,
    ADD COLUMN outcome          text,
    ADD COLUMN root_cause       text,
    ADD COLUMN taxonomy_version integer;

-- The redress ledger: lines are only added.
CREATE TABLE redress (
    id           uuid        PRIMARY KEY,
    case_id      uuid        NOT NULL REFERENCES complaint (id),
    stage        text        NOT NULL,
    kind         text        NOT NULL,
    amount_minor bigint      NOT NULL CHECK (amount_minor > 0),
    currency     text        NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    note         text,
    recorded_by  text        NOT NULL,
    recorded_at  timestamptz NOT NULL
);
CREATE INDEX redress_case ON redress (case_id, recorded_at, id);
