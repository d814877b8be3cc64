-- Whether each rule's condition held after a case's last event moves from rule_state (a row per
-- case and rule, most of them false) onto the case's projection: the ids of the rules whose
-- condition held, sorted, comma-separated (rule ids are lower-case letters, digits and dashes).
-- A rule absent from the list did not hold; the projection row is written for every event anyway,
-- so keeping the edge there costs no statement of its own.
ALTER TABLE case_projection ADD COLUMN satisfied_rules text NOT NULL DEFAULT '';

UPDATE case_projection p
   SET satisfied_rules = s.ids
  FROM (SELECT case_id, string_agg(rule_id, ',' ORDER BY rule_id) AS ids
          FROM rule_state WHERE satisfied GROUP BY case_id) s
 WHERE s.case_id = p.case_id;

DROP TABLE rule_state;
