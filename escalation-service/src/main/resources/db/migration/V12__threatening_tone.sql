-- Issue 31: the customer's tone may be THREATENING, after ABUSIVE (the most severe; tone_trend sees
-- ABUSIVE -> THREATENING as RISING). Seed 001: "If they become abusive or threatening, end the
-- conversation and report it to your supervisor". Version 3 of the two default rules that named
-- ABUSIVE treats THREATENING alike (conversation-ended-after-warning names it since V10); the
-- condition is all that changes. As in V10, a rule is only changed while its current version is
-- still the migration's version 2: a rules-admin's own version stays. One row a line, the action
-- after the reason: DefaultRulesTest reads them here.
INSERT INTO rule_version (rule_id, version, name, condition, target, position, enabled, reason, action, saved_by, saved_at)
SELECT d.rule_id, d.version, d.name, d.condition, d.target, d.position, d.enabled, d.reason, d.action, 'migration', now()
FROM (VALUES
('tone-rising', 3, 'Rising tone', 'tone == "ABUSIVE" || tone == "THREATENING" || (tone == "ANGRY" && tone_trend == "RISING")', 'TEAM_LEAD', 60, true, 'The customer is getting angrier, abusive or threatening: a team lead watches the case with the agent, who keeps it', 'WATCH'),
('angry-repeat-complainant', 3, 'Angry repeat complainant', '(tone == "ANGRY" || tone == "ABUSIVE" || tone == "THREATENING") && complaints_90d >= 3', 'TEAM_LEAD', 110, true, 'An angry customer with three or more complaints in 90 days: a team lead watches the case with the agent, who keeps it', 'WATCH')
) AS d (rule_id, version, name, condition, target, position, enabled, reason, action)
JOIN rule r ON r.id = d.rule_id AND NOT r.deleted AND r.current_version = d.version - 1
JOIN rule_version cur ON cur.rule_id = r.id AND cur.version = r.current_version AND cur.saved_by = 'migration';

UPDATE rule r SET current_version = v.version
FROM rule_version v
WHERE v.rule_id = r.id AND v.version = r.current_version + 1;
