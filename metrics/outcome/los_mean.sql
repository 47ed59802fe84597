-- metric_id: los_mean
-- version: 1
-- view: outcome
-- title: Mean length of stay
-- definition: Mean length of closed stays in days (calendar days from admission to discharge, at least 1), a transfer chain being one stay.
-- grain: month of discharge × discharging hospital × discharging department
-- numerator: sum of los_days
-- denominator: closed stays discharged in the period
-- exclusions: none
-- unit: days
-- direction: lower_is_better
-- kind: mean
-- level: department
-- requires: none

-- One fact per closed stay; open stays have no length yet and are not part of the
-- population. los_days = max(1, date(discharge) - date(admit)) (stays.sql).
SELECT
  CAST(s.discharge_ts AS DATE) AS period_date,
  s.discharge_hospital_id AS hospital_id,
  s.discharge_department_id AS department_id,
  CAST(NULL AS VARCHAR) AS exclusion,
  CAST(s.los_days AS DOUBLE) AS num,
  CAST(NULL AS DOUBLE) AS den,
  s.patient_id,
  s.stay_id,
  s.admit_ts,
  s.discharge_ts,
  s.los_nights,
  s.los_hours,
  s.n_contacts
FROM stays s
WHERE NOT s.is_open
