-- RG 271's business days (the acknowledgement's "one business day", the five business days within
-- which a complaint may be closed without a written IDR response) are days that are not "a
-- Saturday, a Sunday or a public holiday or bank holiday in the place concerned" (the Corporations
-- Act 2001, s9, "business day"). The AU profiles counted on AU-NSW, which is open on the NSW Bank
-- Holiday (the first Monday in August); AU-NSW-BANK is AU-NSW with that day closed. So a new
-- version of each AU profile whose current version counts on AU-NSW counts on AU-NSW-BANK, the
-- rest of its definition as it is (an operator's own changes included), numbered after whatever is
-- there. Calendar-day periods (30, 45, 21 days) end on the same day either way. Cases keep the
-- version of their receipt.
WITH changed AS (
    INSERT INTO profile_version (name, version, definition, saved_by, saved_at)
    SELECT p.name, p.current_version + 1,
           jsonb_set(v.definition::jsonb, '{calendar}', '"AU-NSW-BANK"'::jsonb)::text,
           'migration', now()
    FROM profile p
    JOIN profile_version v ON v.name = p.name AND v.version = p.current_version
    WHERE p.name IN ('AU_ASIC_RG271', 'AU_ASIC_RG271_SUPER', 'AU_ASIC_RG271_HARDSHIP', 'AU_ASIC_RG271_DEFAULT_NOTICE')
      AND v.definition::jsonb ->> 'calendar' = 'AU-NSW'
    RETURNING name
)
UPDATE profile SET current_version = current_version + 1
WHERE name IN (SELECT name FROM changed);
