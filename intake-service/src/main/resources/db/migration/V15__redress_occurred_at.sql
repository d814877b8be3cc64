-- A redress line's occurred_at is when the offer was made, accepted or the payment made, which the
-- agent may give (a payment made on the last day of a reporting period and typed in the next
-- morning); recorded_at stays when intake-service recorded it. Until now the two were the same
-- moment. The default serves a replica of the earlier version during a rolling upgrade.
ALTER TABLE redress ADD COLUMN occurred_at timestamptz;
UPDATE redress SET occurred_at = recorded_at;
ALTER TABLE redress ALTER COLUMN occurred_at SET DEFAULT now();
ALTER TABLE redress ALTER COLUMN occurred_at SET NOT NULL;
