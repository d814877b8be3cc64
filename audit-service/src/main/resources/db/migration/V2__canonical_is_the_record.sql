-- The canonical bytes are the record. The jsonb copy of the envelope is dropped: PostgreSQL's jsonb
-- refuses a \u0000 that JSON allows, so the copy could veto an entry (and nothing read it). Event
-- times beyond timestamptz's range (RFC 3339 allows none, Java's parser a few) are kept only in the
-- canonical bytes, so the query copy may be null.
ALTER TABLE audit_entry DROP COLUMN envelope;
ALTER TABLE audit_entry ALTER COLUMN event_time DROP NOT NULL;
