-- A redress line can be reversed: a new line of the same stage, kind and currency with the opposite
-- (negative) amount, naming the line it reverses, once. Lines are still only ever added, and a case's
-- totals, a return's redress paid, are sums, so a line recorded twice or in error is taken out by its
-- reversal, with the reason in its note.
ALTER TABLE redress DROP CONSTRAINT redress_amount_minor_check;
ALTER TABLE redress ADD COLUMN reverses uuid REFERENCES redress (id);
ALTER TABLE redress ADD CONSTRAINT redress_amount_sign
    CHECK ((reverses IS NULL AND amount_minor > 0) OR (reverses IS NOT NULL AND amount_minor < 0));
CREATE UNIQUE INDEX redress_reversed_once ON redress (reverses) WHERE reverses IS NOT NULL;

-- A retried POST /complaints/{id}/redress with the same Idempotency-Key (per case and caller) records
-- nothing more and answers the line the first one recorded; request_hash tells a retry from another
-- request under the same key.
ALTER TABLE redress ADD COLUMN idempotency_key text;
ALTER TABLE redress ADD COLUMN request_hash text;
CREATE UNIQUE INDEX redress_idempotency ON redress (case_id, recorded_by, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
