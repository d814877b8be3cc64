-- The default rules (DOMAIN.md), version 1 of each. Conditions are CEL over the variables of
-- RuleVariables; a target is a level or ONE_UP. One row a line: DefaultRulesTest reads them here.
-- A demand for a manager alone escalates nothing: no rule looks at manager_requests by itself.
INSERT INTO rule (id, current_version) VALUES
('critical-severity', 1),
('conversation-ended-after-warning', 1),
('solutions-rejected-twice', 1),
('promise-missed', 1),
('assistance-requested', 1),
('tone-rising', 1),
('dissatisfied-followup', 1),
('second-reopening', 1);

INSERT INTO rule_version (rule_id, version, name, condition, target, position, enabled, reason, saved_by, saved_at) VALUES
('critical-severity', 1, 'Critical severity', 'severity == "CRITICAL"', 'SUPERVISOR', 10, true, 'Critical severity: a supervisor owns it from the start', 'migration', now()),
('conversation-ended-after-warning', 1, 'Conversation ended after a boundary warning', 'event_kind == "CONVERSATION_ENDED" && boundary_warnings > 0', 'SUPERVISOR', 20, true, 'The conversation was ended after a boundary warning: reported to a supervisor with the record', 'migration', now()),
('solutions-rejected-twice', 1, 'Two rejected solutions', 'solutions_rejected >= 2', 'TEAM_LEAD', 30, true, 'The customer rejected two solutions', 'migration', now()),
('promise-missed', 1, 'Missed promise', 'event_type == "promise.missed"', 'ONE_UP', 40, true, 'A promise to the customer was missed', 'migration', now()),
('assistance-requested', 1, 'Assistance requested', 'event_kind == "ASSISTANCE_REQUESTED"', 'ONE_UP', 50, true, 'The case owner asked for help', 'migration', now()),
('tone-rising', 1, 'Rising tone', 'tone == "ABUSIVE" || (tone == "ANGRY" && tone_trend == "RISING")', 'TEAM_LEAD', 60, true, 'The customer is getting angrier', 'migration', now()),
('dissatisfied-followup', 1, 'Dissatisfied follow-up', 'event_dissatisfied', 'SUPERVISOR', 70, true, 'The customer was not satisfied with the resolution', 'migration', now()),
('second-reopening', 1, 'Second reopening', 'reopenings >= 2', 'SUPERVISOR', 80, true, 'The case was reopened a second time', 'migration', now());
