-- A history row is written only for an event its consumer has just claimed in the ledger
-- (processed_event, keyed by consumer and event id), in the same transaction: the ledger already
-- admits each event once, so a second unique index on the event id was one more random insert into
-- a growing index per event, and nothing reads the history by event id.
ALTER TABLE case_history DROP CONSTRAINT case_history_event_id_key;
