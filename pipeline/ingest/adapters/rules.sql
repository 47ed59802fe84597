-- Readings every adapter applies alike, installed once per `adapt` call (after the
-- time macros of time.ts, which they use). docs/adapters.md explains each.

-- docs/reference/contract.md#formats: an emergency or observation contact (its mapped `kind`)
-- lasting 12 hours (43,200 seconds) or more is an admission. No end, or a time that does not
-- parse, is under 12 hours.
CREATE OR REPLACE TEMP MACRO adp_by_12h(kind, start_ts, end_ts) AS
  coalesce(kind IN ('emergency', 'observation') AND epoch(end_ts) - epoch(start_ts) >= 43200, false);

-- A birth date's year, or the text as it stands when it does not start with one (the validator
-- then rejects it naming the value).
CREATE OR REPLACE TEMP MACRO adp_birth_year(t) AS
  CASE WHEN regexp_matches(t, '^\d{4}') THEN substr(t, 1, 4) ELSE t END;

-- A death timestamp's calendar date in the configured zone, or the text as it stands when it does
-- not parse (the validator then rejects it naming the value).
CREATE OR REPLACE TEMP MACRO adp_death_date(t) AS
  CASE WHEN t IS NULL THEN NULL ELSE coalesce(strftime(adp_wall_date(t), '%Y-%m-%d'), t) END;

-- What a contact of a mapped `kind` becomes (docs/adapters.md): an admission by its code or by
-- the 12-hour rule, an emergency visit, an in-person ambulatory treatment (an observation shorter
-- than 12 hours too) or a virtual one; NULL when its code is not mapped.
CREATE OR REPLACE TEMP MACRO adp_target(kind, by_12h) AS CASE
  WHEN kind = 'admission' OR by_12h THEN 'admission'
  WHEN kind = 'emergency' THEN 'emergency'
  WHEN kind IN ('ambulatory', 'observation') THEN 'ambulatory'
  WHEN kind = 'virtual' THEN 'virtual' END;
