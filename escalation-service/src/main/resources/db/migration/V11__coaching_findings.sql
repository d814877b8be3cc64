-- Issue 31: the rule variable coaching_findings, the language coaching findings on a case's outbound
-- texts so far (interaction.recorded's coaching, docs/coaching.md). No default rule uses it.
ALTER TABLE case_projection ADD COLUMN coaching_findings integer NOT NULL DEFAULT 0;
