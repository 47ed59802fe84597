-- metric_id: mortality_30d
-- version: 1
-- view: outcome
-- title: 30-day mortality after discharge
-- definition: Share of index stays (as for 30-day readmission) whose patient died on or before the 30th day
--   after the discharge date. Read beside readmissions: fewer readmissions because more deaths shows here.
-- grain: month of discharge × discharging hospital × discharging department
-- numerator: index stays whose patient's death_date is on or before date(discharge) + 30
-- denominator: index stays: closed stays, patient alive at discharge, not against advice, not transferred out, 30 days of follow-up before the cutoff
-- exclusions: died, against_advice, transfer_out, incomplete_follow_up
-- unit: share of index stays
-- direction: lower_is_better
-- kind: rate
-- level: department
-- requires: patients

-- One fact per closed stay, with the exclusions of readmission_30d (metrics §3.4).
-- A patient without a death_date (or without a patients row) is alive.
SELECT
  CAST(s.discharge_ts AS DATE) AS period_date,
  s.discharge_hospital_id AS hospital_id,
  s.discharge_department_id AS department_id,
  CASE
    WHEN s.died_in_stay THEN 'died'
    WHEN s.discharge_disposition = 'against_advice' THEN 'against_advice'
    WHEN s.discharge_disposition = 'transfer' THEN 'transfer_out'
    WHEN CAST(s.discharge_ts AS DATE) + 30 > p.cutoff_date THEN 'incomplete_follow_up'
  END AS exclusion,
  CAST(CASE WHEN pt.death_date <= CAST(s.discharge_ts AS DATE) + 30 THEN 1 ELSE 0 END AS DOUBLE) AS num,
  CAST(NULL AS DOUBLE) AS den,
  s.patient_id,
  s.stay_id,
  s.admit_ts,
  s.discharge_ts,
  s.discharge_disposition,
  pt.death_date,
  date_diff('day', CAST(s.discharge_ts AS DATE), pt.death_date) AS days_to_death
FROM stays s
CROSS JOIN params p
LEFT JOIN patients_or_empty pt ON pt.patient_id = s.patient_id
WHERE NOT s.is_open
