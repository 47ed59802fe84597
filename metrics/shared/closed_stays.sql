-- shared: closed_stays
-- materialize: view

-- One row per closed stay, in the shape of a fact row: filed under its discharge date,
-- discharging hospital and department, num = its length in days. The population of the three
-- length-of-stay metrics, which differ only in how they aggregate it. Open stays have no
-- length yet and are not part of it. los_days = max(1, date(discharge) - date(admit))
-- (stays.sql).
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
