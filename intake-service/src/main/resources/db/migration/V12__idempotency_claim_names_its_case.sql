-- The Idempotency-Key claim names the case it is about to make, in the submission's first
-- statement, before the case row is inserted later in the same transaction: the reference is
-- checked at commit. This spares the second statement that filled it in afterwards (issue 30).
-- A replica older than this still claims with NULL and fills it in, which stays valid.
ALTER TABLE idempotency_key ALTER CONSTRAINT idempotency_key_complaint_id_fkey DEFERRABLE INITIALLY DEFERRED;
