-- Issue 29: regulators' complaints returns, computed from the log up to a signed checkpoint. A
-- return is derived data (anyone can recompute it from an export); the row keeps what was filed.
CREATE TABLE regulatory_return (
    id             uuid        PRIMARY KEY,
    family         text        NOT NULL,
    period_from    date        NOT NULL,
    period_to      date        NOT NULL,
    checkpoint_seq bigint      NOT NULL,
    document       text        NOT NULL,
    created_by     text        NOT NULL,
    created_at     timestamptz NOT NULL
);
CREATE INDEX regulatory_return_period ON regulatory_return (family, period_to DESC, created_at DESC);

GRANT SELECT, INSERT ON regulatory_return TO ${writer_role};
