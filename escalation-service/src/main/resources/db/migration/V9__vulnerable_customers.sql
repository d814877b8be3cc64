-- Issue 29: vulnerable customers. What rules see of it is one boolean per case, learnt from
-- redress.customer.vulnerability-changed (intake-service keeps the drivers and the note sealed;
-- nothing of them reaches this service) and reset by redress.customer.erased.
ALTER TABLE case_projection ADD COLUMN vulnerable boolean NOT NULL DEFAULT false;

-- The default rule (docs/escalation.md): a vulnerable customer's complaint is never left at AGENT
-- after a deadline warning. Position 85: before final-response-warning (90), so on a final
-- response warning the case goes to SUPERVISOR once, not to TEAM_LEAD and then SUPERVISOR. One row
-- a line: DefaultRulesTest reads it here.
INSERT INTO rule (id, current_version) VALUES
('vulnerable-customer-warning', 1);

INSERT INTO rule_version (rule_id, version, name, condition, target, position, enabled, reason, saved_by, saved_at) VALUES
('vulnerable-customer-warning', 1, 'Vulnerable customer, deadline near', 'vulnerable && event_type == "deadline.warning" && level == "AGENT"', 'SUPERVISOR', 85, true, 'The customer is vulnerable (FCA FG21/1) and a deadline is near: a supervisor takes the case rather than leaving it with an agent', 'migration', now());
