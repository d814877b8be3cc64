-- Issue 31: language coaching on outbound text (docs/coaching.md). Seed 000: "Use Positive Language
-- ... Avoid negative or accusatory language that may exacerbate the conflict." The lexicon is data,
-- versioned like the taxonomy; what it found in a text is kept with the interaction, as its event
-- carries it (redress.interaction.recorded's coaching). Rows are only added.
CREATE TABLE coaching_lexicon_version (
    version    integer     PRIMARY KEY,
    language   text        NOT NULL,
    document   jsonb       NOT NULL,
    reason     text        NOT NULL,
    created_by text        NOT NULL,
    created_at timestamptz NOT NULL
);

ALTER TABLE interaction ADD COLUMN coaching jsonb;
