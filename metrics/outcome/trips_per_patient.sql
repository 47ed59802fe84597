-- metric_id: trips_per_patient
-- version: 1
-- view: outcome
-- title: Hospital trips per patient
-- definition: How many separate days a patient came to the hospital for in-person outpatient care, per patient who came at all; treatments given during an inpatient stay are not trips.
-- grain: month of the trip × hospital (hospital level)
-- numerator: trips: distinct (patient, hospital, date) with at least one in-person ambulatory treatment outside any stay of the patient
-- denominator: distinct patients with a trip in the cell (at the ALL level: with a trip at any hospital)
-- exclusions: during_stay
-- unit: trips per patient
-- direction: lower_is_better
-- kind: ratio
-- level: hospital
-- requires: none

-- metrics.md §3.6. One fact per (patient, hospital, date) of metrics/shared/trip_days.sql,
-- where "inside a stay" is decided (metrics/shared/ambulatory_placed.sql). A day whose
-- in-person ambulatory treatments all fall inside stays is listed with exclusion during_stay,
-- so the treatments left out stay visible.
SELECT
  trip_date AS period_date,
  hospital_id,
  'ALL' AS department_id,
  CASE WHEN n_treatments = 0 THEN 'during_stay' END AS exclusion,
  CASE WHEN n_treatments = 0 THEN NULL ELSE 1.0 END AS num,
  CAST(NULL AS DOUBLE) AS den,
  patient_id AS den_distinct,
  patient_id,
  n_treatments,
  n_during_stay
FROM trip_days
