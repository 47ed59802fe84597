-- metric_id: stays
-- version: 1
-- view: activity
-- title: Hospital stays
-- definition: Stays (contacts joined across transfers, see stays) counted in the month they start.
--   Open stays count too.
-- grain: month of stay admission × admitting hospital × admitting department
-- numerator: stays admitted in the period
-- denominator: none (a count)
-- exclusions: none
-- unit: stays
-- direction: neutral
-- kind: count
-- level: department
-- requires: none
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
