-- Issue 31: escalation that helps the agent instead of replacing them. A rule's action is WATCH (a
-- person at the target level watches the case, sees it and its briefing in the queue, the agent keeps
-- it) or HAND_OVER (the case moves to the target level's queue, unassigned: what every rule did
-- before). Versioned with the rule, like its condition; every version saved before is a HAND_OVER.
ALTER TABLE rule_version ADD COLUMN action text NOT NULL DEFAULT 'HAND_OVER'
    CONSTRAINT rule_version_action CHECK (action IN ('WATCH', 'HAND_OVER'));

-- An escalation keeps the action of the rule version that raised it.
ALTER TABLE escalation ADD COLUMN action text NOT NULL DEFAULT 'HAND_OVER'
    CONSTRAINT escalation_action CHECK (action IN ('WATCH', 'HAND_OVER'));

-- Version 2 of three default rules (docs/escalation.md): tone and the angry repeat complainant add
-- a watcher ("show them that you are their advocate within the company"); an ended abusive or
-- threatening conversation hands over, with or without a warning before ("If the customer becomes
-- abusive or threatening, end the conversation and report it to your supervisor"). A rule is only
-- changed while its current version is still the migration's version 1: a rules-admin's own version
-- stays. One row a line, the action after the reason: DefaultRulesTest reads them here.
INSERT INTO rule_version (rule_id, version, name, condition, target, position, enabled, reason, action, saved_by, saved_at)
SELECT d.rule_id, d.version, d.name, d.condition, d.target, d.position, d.enabled, d.reason, d.action, 'migration', now()
FROM (VALUES
('tone-rising', 2, 'Rising tone', 'tone == "ABUSIVE" || (tone == "ANGRY" && tone_trend == "RISING")', 'TEAM_LEAD', 60, true, 'The customer is getting angrier: a team lead watches the case with the agent, who keeps it', 'WATCH'),
('angry-repeat-complainant', 2, 'Angry repeat complainant', '(tone == "ANGRY" || tone == "ABUSIVE") && complaints_90d >= 3', 'TEAM_LEAD', 110, true, 'An angry customer with three or more complaints in 90 days: a team lead watches the case with the agent, who keeps it', 'WATCH'),
('conversation-ended-after-warning', 2, 'Conversation ended after a warning or abuse', 'event_kind == "CONVERSATION_ENDED" && (boundary_warnings > 0 || tone == "ABUSIVE" || tone == "THREATENING")', 'SUPERVISOR', 20, true, 'The conversation was ended after a boundary warning, or while the customer was abusive or threatening: reported to a supervisor with the record', 'HAND_OVER')
) AS d (rule_id, version, name, condition, target, position, enabled, reason, action)
JOIN rule r ON r.id = d.rule_id AND NOT r.deleted AND r.current_version = d.version - 1
JOIN rule_version cur ON cur.rule_id = r.id AND cur.version = r.current_version AND cur.saved_by = 'migration';

UPDATE rule r SET current_version = v.version
FROM rule_version v
WHERE v.rule_id = r.id AND v.version = r.current_version + 1;
