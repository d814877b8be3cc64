-- A withdrawn breach (deadline.corrected) resolves the escalations its deadline.breached raised:
-- they are found by the event that caused them.
CREATE INDEX escalation_cause ON escalation (cause_event_id);
