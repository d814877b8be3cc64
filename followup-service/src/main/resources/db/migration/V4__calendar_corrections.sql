-- Calendar corrections and bank-business-day calendars (docs/followup.md, "Business calendars").
-- Rows are written one a line: the calendar tests read them from this file, with V2's.
-- Every insert skips what is already there, so a database where an operator has already
-- imported a date (or made a calendar of the same name) migrates without error.

-- A region may include the holidays of other regions: a calendar of AU-NSW-BANK is closed on
-- every holiday of AU-NSW as well as on its own (the August Bank Holiday). A change to AU-NSW's
-- holidays is then a change to every calendar of AU-NSW-BANK too (CalendarChanged for each).
-- Inclusion is followed through any depth, and a cycle is harmless.
CREATE TABLE holiday_region_include (
    region    text  NOT NULL CHECK (region ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$'),
    includes  text  NOT NULL CHECK (includes ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$'),
    PRIMARY KEY (region, includes),
    CHECK (region <> includes)
);
CREATE INDEX holiday_region_include_includes ON holiday_region_include (includes);

-- Regions whose holidays a migration changed. A migration does not fire CalendarChanged, so at
-- start-up the service takes each row as a change made through the API (a new revision for
-- every affected calendar, CalendarChanged, pending deadlines recomputed in that transaction)
-- and deletes it. A later migration that changes holidays adds its regions here.
CREATE TABLE holiday_change_pending (
    region  text  PRIMARY KEY
);

-- New South Wales: the Public Holidays Amendment (Anzac Day) Order 2026, made under the Public
-- Holidays Act 2010, declares an additional public holiday on the Monday after Anzac Day in 2026
-- (Anzac Day a Saturday) and 2027 (a Sunday).
INSERT INTO holiday (region, day, name) VALUES
('AU-NSW', '2026-04-27', 'Anzac Day (additional day)'),
('AU-NSW', '2027-04-26', 'Anzac Day (additional day)')
ON CONFLICT (region, day) DO NOTHING;

UPDATE calendar SET revision = nextval('calendar_revision') WHERE region = 'AU-NSW';

-- Bank business days, where banks keep other holidays than the public ones.
--   AU-NSW-BANK: the public holidays of NSW (included) and the Bank Holiday on the first Monday
--   in August (banks and certain financial institutions only, not a general public holiday).
--   US-FED: the Federal Reserve Banks' holidays (the legal public holidays of 5 U.S.C. 6103), as
--   the Federal Reserve observes them: a holiday on a Saturday is not moved (the Reserve Banks
--   are open the Friday before), one on a Sunday is observed on the Monday after.
INSERT INTO calendar (name, zone, region, revision) VALUES
('AU-NSW-BANK', 'Australia/Sydney', 'AU-NSW-BANK', nextval('calendar_revision')),
('US-FED', 'America/New_York', 'US-FED', nextval('calendar_revision'))
ON CONFLICT (name) DO NOTHING;

-- Hours only for a calendar that has none (one this migration made).
INSERT INTO calendar_hours (calendar_name, weekday, opens, closes)
SELECT v.calendar_name, v.weekday, v.opens, v.closes FROM (VALUES
('AU-NSW-BANK', 1, '09:00', '17:00'),
('AU-NSW-BANK', 2, '09:00', '17:00'),
('AU-NSW-BANK', 3, '09:00', '17:00'),
('AU-NSW-BANK', 4, '09:00', '17:00'),
('AU-NSW-BANK', 5, '09:00', '17:00'),
('US-FED', 1, '09:00', '17:00'),
('US-FED', 2, '09:00', '17:00'),
('US-FED', 3, '09:00', '17:00'),
('US-FED', 4, '09:00', '17:00'),
('US-FED', 5, '09:00', '17:00')
) AS v (calendar_name, weekday, opens, closes)
WHERE NOT EXISTS (SELECT 1 FROM calendar_hours h WHERE h.calendar_name = v.calendar_name);

INSERT INTO holiday_region_include (region, includes) VALUES
('AU-NSW-BANK', 'AU-NSW')
ON CONFLICT DO NOTHING;

INSERT INTO holiday (region, day, name) VALUES
('AU-NSW-BANK', '2026-08-03', 'Bank Holiday'),
('AU-NSW-BANK', '2027-08-02', 'Bank Holiday')
ON CONFLICT (region, day) DO NOTHING;

-- The Federal Reserve's holiday schedule for 2026 and 2027. Saturday holidays (4 July 2026,
-- 19 June and 25 December 2027) are listed on their own date: the Reserve Banks are open on the
-- Friday before. Sunday 4 July 2027 is observed on Monday 5 July. New Year's Day 2028 is a
-- Saturday: Friday 31 December 2027 is a business day.
INSERT INTO holiday (region, day, name) VALUES
('US-FED', '2026-01-01', 'New Year''s Day'),
('US-FED', '2026-01-19', 'Birthday of Martin Luther King, Jr.'),
('US-FED', '2026-02-16', 'Washington''s Birthday'),
('US-FED', '2026-05-25', 'Memorial Day'),
('US-FED', '2026-06-19', 'Juneteenth National Independence Day'),
('US-FED', '2026-07-04', 'Independence Day (a Saturday: Reserve Banks open on Friday 3 July)'),
('US-FED', '2026-09-07', 'Labor Day'),
('US-FED', '2026-10-12', 'Columbus Day'),
('US-FED', '2026-11-11', 'Veterans Day'),
('US-FED', '2026-11-26', 'Thanksgiving Day'),
('US-FED', '2026-12-25', 'Christmas Day'),
('US-FED', '2027-01-01', 'New Year''s Day'),
('US-FED', '2027-01-18', 'Birthday of Martin Luther King, Jr.'),
('US-FED', '2027-02-15', 'Washington''s Birthday'),
('US-FED', '2027-05-31', 'Memorial Day'),
('US-FED', '2027-06-19', 'Juneteenth National Independence Day (a Saturday: Reserve Banks open on Friday 18 June)'),
('US-FED', '2027-07-04', 'Independence Day'),
('US-FED', '2027-07-05', 'Independence Day (observed)'),
('US-FED', '2027-09-06', 'Labor Day'),
('US-FED', '2027-10-11', 'Columbus Day'),
('US-FED', '2027-11-11', 'Veterans Day'),
('US-FED', '2027-11-25', 'Thanksgiving Day'),
('US-FED', '2027-12-25', 'Christmas Day (a Saturday: Reserve Banks open on Friday 24 December)')
ON CONFLICT (region, day) DO NOTHING;

-- The regions whose holidays changed here; AU-NSW-BANK and US-FED too, in case a calendar of
-- that name or region was made before this migration and has pending deadlines.
INSERT INTO holiday_change_pending (region) VALUES
('AU-NSW'),
('AU-NSW-BANK'),
('US-FED')
ON CONFLICT DO NOTHING;
