-- Shared by every service (service-support). Versions 0_x sort before each service's own V1.

-- Events written in the same transaction as the state change; the relay publishes them.
-- Rows of one key (case id) are inserted under a per-key transaction lock, so id order is
-- commit order within a case, which is the order the relay sends them in.
CREATE TABLE outbox (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id    uuid        NOT NULL UNIQUE,
    topic       text        NOT NULL,
    record_key  text        NOT NULL,
    event_type  text        NOT NULL,
    payload     text        NOT NULL,
    -- The Kafka record's content-type header: CloudEvents in structured mode, or plain JSON.
    content_type text       NOT NULL DEFAULT 'application/cloudevents+json; charset=UTF-8',
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    sent_at     timestamptz,
    attempts    integer     NOT NULL DEFAULT 0,
    last_error  text
);
CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;
CREATE INDEX outbox_sent_at ON outbox (sent_at) WHERE sent_at IS NOT NULL;

-- Idempotent consumers: one row per (consumer, event) applied, written in the consumer's transaction.
CREATE TABLE processed_event (
    consumer     text        NOT NULL,
    event_id     uuid        NOT NULL,
    event_type   text        NOT NULL,
    processed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (consumer, event_id)
);
