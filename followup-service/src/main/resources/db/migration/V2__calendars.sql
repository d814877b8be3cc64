-- Business calendars (docs/followup.md, "Business calendars"): a time zone, working hours per
-- weekday, and the holidays of a region. A calendar's clocks skip the holidays of its region.

-- Every change to a calendar (its hours, or its region's holidays) gives it a new revision from
-- this sequence; a sequence never hands out a number twice, even to a rolled-back change, so a
-- cached calendar is current exactly when its revision is the stored one.
CREATE SEQUENCE calendar_revision;

CREATE TABLE calendar (
    name      text    PRIMARY KEY CHECK (name ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$'),
    zone      text    NOT NULL,
    region    text    NOT NULL CHECK (region ~ '^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$'),
    revision  bigint  NOT NULL
);

-- One row per working weekday (ISO: 1 = Monday … 7 = Sunday); a weekday without a row is closed.
-- Times are HH:MM in the calendar's zone; closes may be 24:00 (midnight at the end of the day).
CREATE TABLE calendar_hours (
    calendar_name  text     NOT NULL REFERENCES calendar (name) ON DELETE CASCADE,
    weekday        integer  NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    opens          text     NOT NULL CHECK (opens ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
    closes         text     NOT NULL CHECK (closes ~ '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$'),
    PRIMARY KEY (calendar_name, weekday),
    CHECK (opens < closes)
);

-- Public holidays on the dates they are observed (a substitute day, not the weekend date it
-- replaces). Weekend holidays without a substitute are listed too: harmless, and what the
-- official lists say. One row a line: the calendar tests read them from this file.
CREATE TABLE holiday (
    region  text  NOT NULL,
    day     date  NOT NULL,
    name    text  NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    PRIMARY KEY (region, day)
);

INSERT INTO calendar (name, zone, region, revision) VALUES
('GB-EAW', 'Europe/London', 'GB-EAW', nextval('calendar_revision')),
('US', 'America/New_York', 'US', nextval('calendar_revision')),
('AU-NSW', 'Australia/Sydney', 'AU-NSW', nextval('calendar_revision')),
('ALWAYS', 'UTC', 'ALWAYS', nextval('calendar_revision'));

INSERT INTO calendar_hours (calendar_name, weekday, opens, closes) VALUES
('GB-EAW', 1, '09:00', '17:00'),
('GB-EAW', 2, '09:00', '17:00'),
('GB-EAW', 3, '09:00', '17:00'),
('GB-EAW', 4, '09:00', '17:00'),
('GB-EAW', 5, '09:00', '17:00'),
('US', 1, '09:00', '17:00'),
('US', 2, '09:00', '17:00'),
('US', 3, '09:00', '17:00'),
('US', 4, '09:00', '17:00'),
('US', 5, '09:00', '17:00'),
('AU-NSW', 1, '09:00', '17:00'),
('AU-NSW', 2, '09:00', '17:00'),
('AU-NSW', 3, '09:00', '17:00'),
('AU-NSW', 4, '09:00', '17:00'),
('AU-NSW', 5, '09:00', '17:00'),
('ALWAYS', 1, '00:00', '24:00'),
('ALWAYS', 2, '00:00', '24:00'),
('ALWAYS', 3, '00:00', '24:00'),
('ALWAYS', 4, '00:00', '24:00'),
('ALWAYS', 5, '00:00', '24:00'),
('ALWAYS', 6, '00:00', '24:00'),
('ALWAYS', 7, '00:00', '24:00');

-- England and Wales: bank holidays (Banking and Financial Dealings Act 1971 and the annual
-- proclamations), as published on GOV.UK.
INSERT INTO holiday (region, day, name) VALUES
('GB-EAW', '2026-01-01', 'New Year''s Day'),
('GB-EAW', '2026-04-03', 'Good Friday'),
('GB-EAW', '2026-04-06', 'Easter Monday'),
('GB-EAW', '2026-05-04', 'Early May bank holiday'),
('GB-EAW', '2026-05-25', 'Spring bank holiday'),
('GB-EAW', '2026-08-31', 'Summer bank holiday'),
('GB-EAW', '2026-12-25', 'Christmas Day'),
('GB-EAW', '2026-12-28', 'Boxing Day (substitute day)'),
('GB-EAW', '2027-01-01', 'New Year''s Day'),
('GB-EAW', '2027-03-26', 'Good Friday'),
('GB-EAW', '2027-03-29', 'Easter Monday'),
('GB-EAW', '2027-05-03', 'Early May bank holiday'),
('GB-EAW', '2027-05-31', 'Spring bank holiday'),
('GB-EAW', '2027-08-30', 'Summer bank holiday'),
('GB-EAW', '2027-12-27', 'Christmas Day (substitute day)'),
('GB-EAW', '2027-12-28', 'Boxing Day (substitute day)');

-- United States: federal holidays (5 U.S.C. 6103), on the dates observed by federal offices
-- (Saturday -> Friday before, Sunday -> Monday after). New Year's Day 2028 falls on a Saturday
-- and is observed on Friday 31 December 2027.
INSERT INTO holiday (region, day, name) VALUES
('US', '2026-01-01', 'New Year''s Day'),
('US', '2026-01-19', 'Birthday of Martin Luther King, Jr.'),
('US', '2026-02-16', 'Washington''s Birthday'),
('US', '2026-05-25', 'Memorial Day'),
('US', '2026-06-19', 'Juneteenth National Independence Day'),
('US', '2026-07-03', 'Independence Day (observed)'),
('US', '2026-09-07', 'Labor Day'),
('US', '2026-10-12', 'Columbus Day'),
('US', '2026-11-11', 'Veterans Day'),
('US', '2026-11-26', 'Thanksgiving Day'),
('US', '2026-12-25', 'Christmas Day'),
('US', '2027-01-01', 'New Year''s Day'),
('US', '2027-01-18', 'Birthday of Martin Luther King, Jr.'),
('US', '2027-02-15', 'Washington''s Birthday'),
('US', '2027-05-31', 'Memorial Day'),
('US', '2027-06-18', 'Juneteenth National Independence Day (observed)'),
('US', '2027-07-05', 'Independence Day (observed)'),
('US', '2027-09-06', 'Labor Day'),
('US', '2027-10-11', 'Columbus Day'),
('US', '2027-11-11', 'Veterans Day'),
('US', '2027-11-25', 'Thanksgiving Day'),
('US', '2027-12-24', 'Christmas Day (observed)'),
('US', '2027-12-31', 'New Year''s Day 2028 (observed)');

-- New South Wales: public holidays (Public Holidays Act 2010 (NSW)), with the additional days
-- when New Year's Day, Australia Day, Christmas Day or Boxing Day falls on a weekend. Anzac Day
-- has no substitute in NSW. The August Bank Holiday (banks and certain financial institutions
-- only) is not a general public holiday and is not listed: add it by import where it applies.
INSERT INTO holiday (region, day, name) VALUES
('AU-NSW', '2026-01-01', 'New Year''s Day'),
('AU-NSW', '2026-01-26', 'Australia Day'),
('AU-NSW', '2026-04-03', 'Good Friday'),
('AU-NSW', '2026-04-04', 'Easter Saturday'),
('AU-NSW', '2026-04-05', 'Easter Sunday'),
('AU-NSW', '2026-04-06', 'Easter Monday'),
('AU-NSW', '2026-04-25', 'Anzac Day'),
('AU-NSW', '2026-06-08', 'King''s Birthday'),
('AU-NSW', '2026-10-05', 'Labour Day'),
('AU-NSW', '2026-12-25', 'Christmas Day'),
('AU-NSW', '2026-12-26', 'Boxing Day'),
('AU-NSW', '2026-12-28', 'Boxing Day (additional day)'),
('AU-NSW', '2027-01-01', 'New Year''s Day'),
('AU-NSW', '2027-01-26', 'Australia Day'),
('AU-NSW', '2027-03-26', 'Good Friday'),
('AU-NSW', '2027-03-27', 'Easter Saturday'),
('AU-NSW', '2027-03-28', 'Easter Sunday'),
('AU-NSW', '2027-03-29', 'Easter Monday'),
('AU-NSW', '2027-04-25', 'Anzac Day'),
('AU-NSW', '2027-06-14', 'King''s Birthday'),
('AU-NSW', '2027-10-04', 'Labour Day'),
('AU-NSW', '2027-12-25', 'Christmas Day'),
('AU-NSW', '2027-12-26', 'Boxing Day'),
('AU-NSW', '2027-12-27', 'Christmas Day (additional day)'),
('AU-NSW', '2027-12-28', 'Boxing Day (additional day)');
