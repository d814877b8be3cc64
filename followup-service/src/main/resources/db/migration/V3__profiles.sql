-- Regulatory and service-level profiles (docs/followup.md, "Profiles"): versioned data. A case
-- keeps the version that applied when it was received; every change adds a version.
CREATE TABLE profile (
    name             text     PRIMARY KEY CHECK (name ~ '^[A-Z][A-Z0-9_]{0,62}$'),
    current_version  integer  NOT NULL
);

-- definition: the ProfileDefinition as JSON (calendar, deadlines, followup), as Jackson writes it.
CREATE TABLE profile_version (
    name        text         NOT NULL REFERENCES profile (name),
    version     integer      NOT NULL CHECK (version > 0),
    definition  text         NOT NULL,
    saved_by    text         NOT NULL,
    saved_at    timestamptz  NOT NULL,
    PRIMARY KEY (name, version)
);

-- Version 1 of each installed profile; the figures and their sources are in docs/followup.md.
-- One profile a line: the profile tests read the definitions from this file.
INSERT INTO profile (name, current_version) VALUES
('DEFAULT', 1),
('UK_FCA_DISP', 1),
('US_CFPB', 1),
('AU_ASIC_RG271', 1),
('AU_ASIC_RG271_SUPER', 1),
('DEMO', 1);

INSERT INTO profile_version (name, version, definition, saved_by, saved_at) VALUES
('DEFAULT', 1, '{"calendar":"GB-EAW","deadlines":[{"kind":"ACKNOWLEDGEMENT","clock":{"type":"BUSINESS_DAY_CLOSE","days":1},"pausable":false,"warnAt":[0.5,0.8],"breachable":true,"metBy":"ACKNOWLEDGED"},{"kind":"FIRST_RESPONSE","clock":{"type":"BUSINESS_HOURS","amount":"PT16H"},"pausable":true,"warnAt":[0.5,0.8],"breachable":true,"metBy":"FIRST_OUTBOUND"},{"kind":"FINAL_RESPONSE","clock":{"type":"BUSINESS_DAY_CLOSE","days":10},"pausable":true,"warnAt":[0.5,0.8],"breachable":true,"metBy":"RESOLVED"}],"followup":{"delay":"PT16H","window":"PT40H"}}', 'migration', now()),
('UK_FCA_DISP', 1, '{"calendar":"GB-EAW","deadlines":[{"kind":"ACKNOWLEDGEMENT","clock":{"type":"BUSINESS_DAY_CLOSE","days":1},"pausable":false,"warnAt":[0.5,0.8],"breachable":true,"metBy":"ACKNOWLEDGED"},{"kind":"SUMMARY_RESOLUTION","clock":{"type":"BUSINESS_DAY_CLOSE","days":3},"pausable":false,"warnAt":[],"breachable":false,"metBy":"RESOLVED"},{"kind":"FINAL_RESPONSE","clock":{"type":"CALENDAR_PERIOD","period":"P8W","endOfDay":true},"pausable":false,"warnAt":[0.5,0.8],"breachable":true,"metBy":"RESOLVED"}],"followup":{"delay":"PT16H","window":"PT40H"}}', 'migration', now()),
('US_CFPB', 1, '{"calendar":"US","deadlines":[{"kind":"ACKNOWLEDGEMENT","clock":{"type":"BUSINESS_DAY_CLOSE","days":1},"pausable":false,"warnAt":[0.5,0.8],"breachable":true,"metBy":"ACKNOWLEDGED"},{"kind":"FIRST_RESPONSE","clock":{"type":"CALENDAR_PERIOD","period":"P15D","endOfDay":true},"pausable":false,"warnAt":[0.5,0.8],"breachable":true,"metBy":"FIRST_OUTBOUND"},{"kind":"FINAL_RESPONSE","clock":{"type":"CALENDAR_PERIOD","period":"P60D","endOfDay":true},"pausable":false,"warnAt":[0.5,0.8],"breachable":true,"metBy":"RESOLVED"}],"followup":{"delay":"PT16H","window":"PT40H"}}', 'migration', now()),
('AU_ASIC_RG271', 1, '{"calendar":"AU-NSW","deadlines":[{"kind":"ACKNOWLEDGEMENT","clock":{"type":"BUSINESS_HOURS","amount":"PT8H"},"pausable":false,"warnAt":[0.5,0.8],"breachable":true,"metBy":"ACKNOWLEDGED"},{"kind":"FINAL_RESPONSE","clock":{"type":"CALENDAR_PERIOD","period":"P30D","endOfDay":true},"pausable":false,"warnAt":[0.5,0.8],"breachable":true,"metBy":"RESOLVED"}],"followup":{"delay":"PT16H","window":"PT40H"}}', 'migration', now()),
('AU_ASIC_RG271_SUPER', 1, '{"calendar":"AU-NSW","deadlines":[{"kind":"ACKNOWLEDGEMENT","clock":{"type":"BUSINESS_HOURS","amount":"PT8H"},"pausable":false,"warnAt":[0.5,0.8],"breachable":true,"metBy":"ACKNOWLEDGED"},{"kind":"FINAL_RESPONSE","clock":{"type":"CALENDAR_PERIOD","period":"P45D","endOfDay":true},"pausable":false,"warnAt":[0.5,0.8],"breachable":true,"metBy":"RESOLVED"}],"followup":{"delay":"PT16H","window":"PT40H"}}', 'migration', now()),
('DEMO', 1, '{"calendar":"ALWAYS","deadlines":[{"kind":"ACKNOWLEDGEMENT","clock":{"type":"BUSINESS_HOURS","amount":"PT20S"},"pausable":false,"warnAt":[0.5,0.8],"breachable":true,"metBy":"ACKNOWLEDGED"},{"kind":"FIRST_RESPONSE","clock":{"type":"BUSINESS_HOURS","amount":"PT30S"},"pausable":false,"warnAt":[0.5,0.8],"breachable":true,"metBy":"FIRST_OUTBOUND"},{"kind":"FINAL_RESPONSE","clock":{"type":"BUSINESS_HOURS","amount":"PT40S"},"pausable":true,"warnAt":[0.5,0.8],"breachable":true,"metBy":"RESOLVED"}],"followup":{"delay":"PT5S","window":"PT20S"}}', 'migration', now());
