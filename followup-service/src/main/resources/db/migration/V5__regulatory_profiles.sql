-- Regulatory profiles as the rules have them (docs/followup.md, "Profiles" and "Deadlines"):
-- what meets each clock in the rules' own terms, what extends or discharges it, what a reopening
-- does to it, and a case's reclassification to another profile.

-- What met a deadline (the meeting token and the event that carried it; the window that met it
-- on its behalf), and what gave it longer before it was due (DISP 1.6.2AR's holding reply, RG
-- 271's delay notification), with the due time it had before.
ALTER TABLE deadline
    ADD COLUMN met_by_kind           text,
    ADD COLUMN met_by_event_id       uuid,
    ADD COLUMN met_via               text,
    ADD COLUMN extended_by_kind      text,
    ADD COLUMN extended_by_event_id  uuid,
    ADD COLUMN extended_at           timestamptz,
    ADD COLUMN extended_until        timestamptz,
    ADD COLUMN original_due_at       timestamptz;

-- The order deadlines were scheduled in: a reopening's (FROM_RECEIPT) and a reclassification's
-- deadlines start when the first ones did, and a case's listing shows them after those.
ALTER TABLE deadline ADD COLUMN seq bigserial;

-- When the complaint reached Redress; received_at stays the firm's receipt, which every clock
-- counts from and which may be earlier.
ALTER TABLE case_state ADD COLUMN registered_at timestamptz;

-- The first time each meeting token happened on a case (ACKNOWLEDGED, HOLDING_RESPONSE,
-- RESOLVED, ...), with the event, the date it stated and the statements it contained: what a
-- reclassification applies to the new profile's deadlines. A reopening deletes RESOLVED and
-- SUMMARY_RESOLUTION (the case is no longer resolved).
CREATE TABLE case_meeting (
    case_id      uuid         NOT NULL,
    token        text         NOT NULL,
    at           timestamptz  NOT NULL,
    event_id     uuid         NOT NULL,
    expected_by  timestamptz,
    elements     text,
    PRIMARY KEY (case_id, token)
);

-- New versions of the regulatory profiles, and the new profiles. Each becomes its profile's
-- current version, numbered after whatever is there (an operator's own versions stay, older);
-- a profile an operator already made under one of the new names gets this as its next version.
-- Cases keep the version of their receipt. One profile a line: the profile tests read the
-- definitions from this file, with V3's. The rules' own words are in docs/followup.md.
INSERT INTO profile (name, current_version) VALUES
('UK_FCA_DISP_PSD', 0),
('AU_ASIC_RG271_HARDSHIP', 0),
('AU_ASIC_RG271_DEFAULT_NOTICE', 0)
ON CONFLICT (name) DO NOTHING;

INSERT INTO profile_version (name, version, definition, saved_by, saved_at)
SELECT v.name, p.current_version + 1, v.definition, 'migration', now()
FROM (VALUES
('UK_FCA_DISP', '{"calendar":"GB-EAW","deadlines":[{"kind":"ACKNOWLEDGEMENT","clock":{"type":"BUSINESS_DAY_CLOSE","days":1},"pausable":false,"warnAt":[0.5,0.8],"breachable":true,"metBy":["ACKNOWLEDGED"],"onReopen":"NONE"},{"kind":"SUMMARY_RESOLUTION","clock":{"type":"BUSINESS_DAY_CLOSE","days":3},"pausable":false,"warnAt":[],"breachable":false,"metBy":["RESOLVED","SUMMARY_RESOLUTION"],"discharges":["FINAL_RESPONSE"],"onReopen":"NONE"},{"kind":"FINAL_RESPONSE","clock":{"type":"CALENDAR_PERIOD","period":"P8W","endOfDay":true},"pausable":false,"warnAt":[0.5,0.8],"breachable":true,"metBy":["FINAL_RESPONSE","HOLDING_RESPONSE"],"onReopen":"FROM_RECEIPT"}],"followup":{"delay":"PT16H","window":"PT40H"}}'),
('UK_FCA_DISP_PSD', '{"calendar":"GB-EAW","deadlines":[{"kind":"ACKNOWLEDGEMENT","clock":{"type":"BUSINESS_DAY_CLOSE","days":1},"pausable":false,"warnAt":[0.5,0.8],"breachable":true,"metBy":["ACKNOWLEDGED"],"onReopen":"NONE"},{"kind":"SUMMARY_RESOLUTION","clock":{"type":"BUSINESS_DAY_CLOSE","days":3},"pausable":false,"warnAt":[],"breachable":false,"metBy":["RESOLVED","SUMMARY_RESOLUTION"],"discharges":["FINAL_RESPONSE"],"onReopen":"NONE"},{"kind":"FINAL_RESPONSE","clock":{"type":"BUSINESS_DAY_CLOSE","days":15},"pausable":false,"warnAt":[0.5,0.8],"breachable":true,"metBy":["FINAL_RESPONSE"],"extendedBy":{"by":["HOLDING_RESPONSE"],"clock":{"type":"BUSINESS_DAY_CLOSE","days":35},"untilStatedDate":false,"requiresStatedDate":true,"requires":["REASONS_FOR_DELAY","EXPECTED_DATE"]},"onReopen":"FROM_RECEIPT"}],"followup":{"delay":"PT16H","window":"PT40H"}}'),
('US_CFPB', '{"calendar":"US","deadlines":[{"kind":"ACKNOWLEDGEMENT","clock":{"type":"BUSINESS_DAY_CLOSE","days":1},"pausable":false,"warnAt":[0.5,0.8],"breachable":true,"metBy":["ACKNOWLEDGED"],"onReopen":"NONE"},{"kind":"FIRST_RESPONSE","clock":{"type":"CALENDAR_PERIOD","period":"P15D","endOfDay":true},"pausable":false,"warnAt":[0.5,0.8],"breachable":true,"metBy":["SUBSTANTIVE_RESPONSE","FINAL_RESPONSE"],"onReopen":"FROM_RECEIPT"},{"kind":"FINAL_RESPONSE","clock":{"type":"CALENDAR_PERIOD","period":"P60D","endOfDay":true},"pausable":false,"warnAt":[0.5,0.8],"breachable":true,"metBy":["FINAL_RESPONSE","SUBSTANTIVE_RESPONSE:CLOSED"],"onReopen":"FROM_RECEIPT"}],"followup":{"delay":"PT16H","window":"PT40H"}}'),
('AU_ASIC_RG271', '{"calendar":"AU-NSW","deadlines":[{"kind":"ACKNOWLEDGEMENT","clock":{"type":"BUSINESS_HOURS","amount":"PT8H"},"pausable":false,"warnAt":[0.5,0.8],"breachable":true,"metBy":["ACKNOWLEDGED"],"onReopen":"NONE"},{"kind":"FIVE_DAY_CLOSE","clock":{"type":"BUSINESS_DAY_CLOSE","days":5},"pausable":false,"warnAt":[],"breachable":false,"metBy":["RESOLVED"],"discharges":["FINAL_RESPONSE"],"onReopen":"NONE"},{"kind":"FINAL_RESPONSE","clock":{"type":"CALENDAR_PERIOD","period":"P30D","endOfDay":true},"pausable":false,"warnAt":[0.5,0.8],"breachable":true,"metBy":["FINAL_RESPONSE"],"extendedBy":{"by":["DELAY_NOTICE"],"untilStatedDate":true,"requiresStatedDate":true,"requires":["REASONS_FOR_DELAY","AFCA_REFERRAL_RIGHT","AFCA_CONTACT_DETAILS"]},"onReopen":"FROM_RECEIPT"}],"followup":{"delay":"PT16H","window":"PT40H"}}'),
('AU_ASIC_RG271_SUPER', '{"calendar":"AU-NSW","deadlines":[{"kind":"ACKNOWLEDGEMENT","clock":{"type":"BUSINESS_HOURS","amount":"PT8H"},"pausable":false,"warnAt":[0.5,0.8],"breachable":true,"metBy":["ACKNOWLEDGED"],"onReopen":"NONE"},{"kind":"FIVE_DAY_CLOSE","clock":{"type":"BUSINESS_DAY_CLOSE","days":5},"pausable":false,"warnAt":[],"breachable":false,"metBy":["RESOLVED"],"discharges":["FINAL_RESPONSE"],"onReopen":"NONE"},{"kind":"FINAL_RESPONSE","clock":{"type":"CALENDAR_PERIOD","period":"P45D","endOfDay":true},"pausable":false,"warnAt":[0.5,0.8],"breachable":true,"metBy":["FINAL_RESPONSE"],"extendedBy":{"by":["DELAY_NOTICE"],"untilStatedDate":true,"requiresStatedDate":true,"requires":["REASONS_FOR_DELAY","AFCA_REFERRAL_RIGHT","AFCA_CONTACT_DETAILS"]},"onReopen":"FROM_RECEIPT"}],"followup":{"delay":"PT16H","window":"PT40H"}}'),
('AU_ASIC_RG271_HARDSHIP', '{"calendar":"AU-NSW","deadlines":[{"kind":"ACKNOWLEDGEMENT","clock":{"type":"BUSINESS_HOURS","amount":"PT8H"},"pausable":false,"warnAt":[0.5,0.8],"breachable":true,"metBy":["ACKNOWLEDGED"],"onReopen":"NONE"},{"kind":"FINAL_RESPONSE","clock":{"type":"CALENDAR_PERIOD","period":"P21D","endOfDay":true},"pausable":false,"warnAt":[0.5,0.8],"breachable":true,"metBy":["FINAL_RESPONSE"],"extendedBy":{"by":["DELAY_NOTICE"],"untilStatedDate":true,"requiresStatedDate":true,"requires":["REASONS_FOR_DELAY","AFCA_REFERRAL_RIGHT","AFCA_CONTACT_DETAILS"]},"onReopen":"FROM_RECEIPT"}],"followup":{"delay":"PT16H","window":"PT40H"}}'),
('AU_ASIC_RG271_DEFAULT_NOTICE', '{"calendar":"AU-NSW","deadlines":[{"kind":"ACKNOWLEDGEMENT","clock":{"type":"BUSINESS_HOURS","amount":"PT8H"},"pausable":false,"warnAt":[0.5,0.8],"breachable":true,"metBy":["ACKNOWLEDGED"],"onReopen":"NONE"},{"kind":"FIVE_DAY_CLOSE","clock":{"type":"BUSINESS_DAY_CLOSE","days":5},"pausable":false,"warnAt":[],"breachable":false,"metBy":["RESOLVED"],"discharges":["FINAL_RESPONSE"],"onReopen":"NONE"},{"kind":"FINAL_RESPONSE","clock":{"type":"CALENDAR_PERIOD","period":"P21D","endOfDay":true},"pausable":false,"warnAt":[0.5,0.8],"breachable":true,"metBy":["FINAL_RESPONSE"],"extendedBy":{"by":["DELAY_NOTICE"],"untilStatedDate":true,"requiresStatedDate":true,"requires":["REASONS_FOR_DELAY","AFCA_REFERRAL_RIGHT","AFCA_CONTACT_DETAILS"]},"onReopen":"FROM_RECEIPT"}],"followup":{"delay":"PT16H","window":"PT40H"}}')
) AS v (name, definition)
JOIN profile p ON p.name = v.name;

UPDATE profile SET current_version = current_version + 1
WHERE name IN ('UK_FCA_DISP', 'UK_FCA_DISP_PSD', 'US_CFPB', 'AU_ASIC_RG271', 'AU_ASIC_RG271_SUPER',
               'AU_ASIC_RG271_HARDSHIP', 'AU_ASIC_RG271_DEFAULT_NOTICE');
