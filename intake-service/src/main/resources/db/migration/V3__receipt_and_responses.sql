-- Issue 27, "regulatory truth".
--
-- received_at is now the firm's receipt (a letter's date stamp, a call's time), which a submitter
-- may give (POST /complaints, receivedAt); registered_at is when intake-service was called. Until
-- now the two were the same moment, so existing rows take registered_at from received_at.
ALTER TABLE complaint ADD COLUMN registered_at timestamptz;
UPDATE complaint SET registered_at = received_at;
ALTER TABLE complaint ALTER COLUMN registered_at SET NOT NULL;

-- Lists page by (registered_at, id): a complaint received long ago but registered now still sorts
-- before every cursor already handed out, so pages stay stable while complaints arrive. The
-- customer index on received_at stays: earlier complaints are the ones received before.
CREATE INDEX complaint_registered ON complaint (registered_at DESC, id DESC);
CREATE INDEX complaint_customer_registered ON complaint (customer_id, registered_at DESC, id DESC);
CREATE INDEX complaint_status_registered ON complaint (status, registered_at DESC, id DESC);
CREATE INDEX complaint_assignee_registered ON complaint (assignee, registered_at DESC, id DESC) WHERE assignee IS NOT NULL;
DROP INDEX complaint_received;
DROP INDEX complaint_status;
DROP INDEX complaint_assignee;

-- Written responses (HOLDING_RESPONSE, FINAL_RESPONSE, SUMMARY_RESOLUTION, SUBSTANTIVE_RESPONSE,
-- DELAY_NOTICE): when the final response is expected, the CFPB portal status, and the codes of the
-- regulatory statements the response contains (redress.events.ResponseRequirements).
ALTER TABLE interaction
    ADD COLUMN expected_by     timestamptz,
    ADD COLUMN response_status text,
    ADD COLUMN elements        text[];
