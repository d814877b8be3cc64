-- Personal data sealed per customer (docs/security.md, "Personal data and erasure").
--
-- A case's customer name and contact are kept encrypted with the customer's data key: the key id
-- (<customer id>:<key version>), the IV and the cipher text, all base64url. The clear columns of
-- V1 stay for rows written before this version; at start the service seals such rows and empties
-- them (CustomerSealing), so they are null once it has run.
ALTER TABLE complaint
    ADD COLUMN customer_kid text,
    ADD COLUMN customer_iv  text,
    ADD COLUMN customer_ct  text;

-- One row per customer ever seen: the current data key, wrapped with the key-encryption key (the
-- key id as associated data). Erasure sets wrapped_key to NULL: the key is gone, the row only says
-- which version was last used, so a later complaint of the same customer id gets version + 1.
CREATE TABLE customer_key (
    customer_id  text        PRIMARY KEY,
    version      integer     NOT NULL CHECK (version > 0),
    wrapped_key  bytea,
    created_at   timestamptz NOT NULL,
    erased_at    timestamptz,
    CHECK ((wrapped_key IS NULL) = (erased_at IS NOT NULL))
);
CREATE INDEX complaint_customer_kid ON complaint (customer_kid);
-- Rows still in clear (written before V2), for the sealing at start: empty once it has run.
CREATE INDEX complaint_unsealed ON complaint (id) WHERE customer_kid IS NULL;
