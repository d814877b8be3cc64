-- DISP 1.5.1R: "The following rules do not apply to a complaint that is resolved by a respondent by
-- close of business on the third business day following the day on which it is received: (1) the
-- complaints time limit rules; ...". The complaints time limit rules are DISP 1.6, whose first rule,
-- DISP 1.6.1R, asks for the prompt written acknowledgement. So a complaint resolved in the window
-- needs no acknowledgement either: a new version of UK_FCA_DISP and UK_FCA_DISP_PSD whose
-- SUMMARY_RESOLUTION window, met in time, discharges ACKNOWLEDGEMENT as well as FINAL_RESPONSE.
-- The definitions are the current ones with ACKNOWLEDGEMENT put first in that list (whatever else an
-- operator's own current version lists stays); each becomes its profile's current version, numbered
-- after whatever is there; a current version without the window, or whose window already discharges
-- the acknowledgement, is left as it is. Cases keep the version of their receipt.
WITH changed AS (
    INSERT INTO profile_version (name, version, definition, saved_by, saved_at)
    SELECT p.name, p.current_version + 1,
           jsonb_set(v.definition::jsonb, '{deadlines}',
                     (SELECT jsonb_agg(CASE WHEN d ->> 'kind' = 'SUMMARY_RESOLUTION'
                                            THEN jsonb_set(d, '{discharges}',
                                                           '["ACKNOWLEDGEMENT"]'::jsonb || coalesce(d -> 'discharges', '[]'::jsonb))
                                            ELSE d END ORDER BY i)
                      FROM jsonb_array_elements(v.definition::jsonb -> 'deadlines') WITH ORDINALITY AS e (d, i)))::text,
           'migration', now()
    FROM profile p
    JOIN profile_version v ON v.name = p.name AND v.version = p.current_version
    WHERE p.name IN ('UK_FCA_DISP', 'UK_FCA_DISP_PSD')
      AND EXISTS (SELECT 1 FROM jsonb_array_elements(v.definition::jsonb -> 'deadlines') AS k (d)
                  WHERE k.d ->> 'kind' = 'SUMMARY_RESOLUTION'
                    AND NOT coalesce(k.d -> 'discharges', '[]'::jsonb) @> '["ACKNOWLEDGEMENT"]')
      AND EXISTS (SELECT 1 FROM jsonb_array_elements(v.definition::jsonb -> 'deadlines') AS k (d)
                  WHERE k.d ->> 'kind' = 'ACKNOWLEDGEMENT')
    RETURNING name
)
UPDATE profile SET current_version = current_version + 1
WHERE name IN (SELECT name FROM changed);
