-- An interaction's occurred_at is when it took place (a letter posted, a call made), which the
-- agent may give; recorded_at is when intake-service recorded it. Until now the two were the same
-- moment. The default serves a replica of the earlier version during a rolling upgrade.
ALTER TABLE interaction ADD COLUMN recorded_at timestamptz;
UPDATE interaction SET recorded_at = occurred_at;
ALTER TABLE interaction ALTER COLUMN recorded_at SET DEFAULT now();
ALTER TABLE interaction ALTER COLUMN recorded_at SET NOT NULL;
