-- The default rules V2 left out, version 1 of each: deadlines (DOMAIN.md: warnings before a breach,
-- not only after) and the angry repeat complainant. One row a line: DefaultRulesTest reads them here.
-- event_deadline_kind is the kind of the deadline.* event being evaluated ("" for any other event),
-- so the deadline rules hold on that event and re-arm on the case's next one; complaints_90d is the
-- customer's complaints received in the 90 days up to the event, this one included.
INSERT INTO rule (id, current_version) VALUES
('final-response-warning', 1),
('deadline-breached', 1),
('angry-repeat-complainant', 1);

INSERT INTO rule_version (rule_id, version, name, condition, target, position, enabled, reason, saved_by, saved_at) VALUES
('final-response-warning', 1, 'Final response deadline near', 'event_type == "deadline.warning" && event_deadline_kind == "FINAL_RESPONSE"', 'TEAM_LEAD', 90, true, 'The final response is due soon', 'migration', now()),
('deadline-breached', 1, 'Deadline breached', 'event_type == "deadline.breached"', 'MANAGER', 100, true, 'A deadline was breached', 'migration', now()),
('angry-repeat-complainant', 1, 'Angry repeat complainant', '(tone == "ANGRY" || tone == "ABUSIVE") && complaints_90d >= 3', 'TEAM_LEAD', 110, true, 'An angry customer with three or more complaints in 90 days', 'migration', now());

-- The repeat-complainant count looks a customer's cases up by time of receipt.
CREATE INDEX case_projection_customer ON case_projection (customer_id, received_at);
