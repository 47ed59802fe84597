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

-- metrics.md §3.6. A treatment is part of a stay when its start_ts lies in [admit_ts, discharge_ts]
-- of any stay of the same patient (any hospital), or at or after the admit_ts of an open stay.
-- A patient's stays never overlap (stays.sql starts a new stay only after the running maximum
-- discharge), so the one stay that can hold a treatment is the last one admitted at or before
-- it: an ASOF join finds it without a range join.
-- A (patient, hospital, date) whose in-person ambulatory treatments all fall inside stays is
-- listed with exclusion during_stay, so the treatments left out stay visible.
WITH amb AS (
  SELECT t.treatment_id, t.patient_id, t.hospital_id, t.department_id, t.start_ts,
         CAST(t.start_ts AS DATE) AS trip_date
  FROM treatments_in_scope t
  WHERE t.setting = 'ambulatory' AND t.mode = 'in_person'
), placed AS (
  SELECT a.*,
         CASE WHEN s.discharge_ts IS NULL OR a.start_ts <= s.discharge_ts THEN s.stay_id END AS during_stay_id
  FROM amb a
  ASOF LEFT JOIN stays s ON s.patient_id = a.patient_id AND a.start_ts >= s.admit_ts
), trips AS (
  SELECT patient_id, hospital_id, trip_date,
         count(*) FILTER (WHERE during_stay_id IS NULL) AS n_treatments,
         count(*) FILTER (WHERE during_stay_id IS NOT NULL) AS n_during_stay
  FROM placed
  GROUP BY patient_id, hospital_id, trip_date
)
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
FROM trips
