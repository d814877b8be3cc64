-- Shared by every service (service-support), after each service's own V1.

-- A row Kafka will never accept (too large, refused) is parked: it stays unsent, the relay skips
-- its case (later rows wait behind it, in order) and operators see it (GET /outbox/parked, the
-- redress_outbox_parked gauge) until they release it for another try.
ALTER TABLE outbox ADD COLUMN parked_at timestamptz;
CREATE INDEX outbox_parked ON outbox (record_key) WHERE parked_at IS NOT NULL AND sent_at IS NULL;
