-- Readings every adapter applies alike, installed once per `adapt` call (after the
-- time macros of time.ts, which they use). docs/adapters.md explains each.

-- docs/reference/contract.md#formats: an emergency or observation contact lasting 12 hours
-- (43,200 seconds) or more is an admission. `candidate` says whether the contact's code is one
-- the rule applies to; no end, or a time that does not parse, is under 12 hours.
CREATE OR REPLACE TEMP MACRO adp_by_12h(candidate, start_ts, end_ts) AS
  coalesce(candidate AND epoch(end_ts) - epoch(start_ts) >= 43200, false);

-- A birth date's year, or the text as it stands when it does not start with one (the validator
-- then rejects it naming the value).
CREATE OR REPLACE TEMP MACRO adp_birth_year(t) AS
  CASE WHEN regexp_matches(t, '^\d{4}') THEN substr(t, 1, 4) ELSE t END;

-- A death timestamp's calendar date in the configured zone, or the text as it stands when it does
-- not parse (the validator then rejects it naming the value).
CREATE OR REPLACE TEMP MACRO adp_death_date(t) AS
  CASE WHEN t IS NULL THEN NULL ELSE coalesce(strftime(adp_wall_date(t), '%Y-%m-%d'), t) END;
