-- metric_id: stays
-- version: 1
-- view: activity
-- title: Hospital stays
-- title_da: Indlæggelsesforløb
-- definition: Stays (contacts joined across transfers, see stays) counted in the month they start.
--   Open stays count too.
-- definition_da: Indlæggelsesforløb (kontakter samlet på tværs af overflytninger, se stays), talt i den måned, forløbet begynder. Forløb, der stadig er i gang, tæller med.
-- grain: month of stay admission × admitting hospital × admitting department
-- grain_da: forløbets indlæggelsesmåned × indlæggende hospital × indlæggende afdeling
-- numerator: stays admitted in the period
-- numerator_da: forløb med indlæggelse i perioden
-- denominator: none (a count)
-- denominator_da: ingen (et antal)
-- exclusions: none
-- unit: stays
-- unit_da: forløb
-- direction: neutral
-- kind: count
-- level: department
-- requires: none
-- order: 20
-- docs: metrics/activity.md
-- charts: none
-- periods: event
-- recompute: patients
SELECT
  CAST(s.admit_ts AS DATE) AS period_date,
  s.admit_hospital_id AS hospital_id,
  s.admit_department_id AS department_id,
  CAST(NULL AS VARCHAR) AS exclusion,
  CAST(1 AS DOUBLE) AS num,
  CAST(NULL AS DOUBLE) AS den,
  s.stay_id,
  s.patient_id,
  s.admit_ts,
  s.discharge_ts,
  s.is_open,
  s.n_contacts
FROM stays s
