-- How far this service has read each partition of the topics that can carry a case's meeting
-- events (docs/followup.md, "Never a breach for an unread past"). A consumer replica records, for
-- each partition it reads, the offset below which every record has been applied (or
-- dead-lettered) and the latest event time it has read there. The waker fires a due time only once
-- every partition is read past it: caught up (next_offset at the broker's end offset) or its
-- event-time watermark at or after the due time.
CREATE TABLE consumed_partition (
    topic                 text        NOT NULL,
    partition             integer     NOT NULL,
    next_offset           bigint      NOT NULL,
    event_time_watermark  timestamptz,
    updated_at            timestamptz NOT NULL,
    PRIMARY KEY (topic, partition)
);

-- The deadline.breached (promise.missed) a row announced, so that a late meeting event whose own
-- time was in time can withdraw it by name (deadline.corrected, promise.corrected).
ALTER TABLE deadline ADD COLUMN breach_event_id uuid;
ALTER TABLE promise ADD COLUMN missed_event_id uuid;
