-- metric_id: consolidation_ratio
-- version: 1
-- view: outcome
-- title: Treatments per hospital trip
-- definition: How many in-person outpatient treatments a patient received per trip to the hospital; higher means more of what the patient needs is done in one visit.
-- grain: month of the treatment × hospital (hospital level)
-- numerator: in-person ambulatory treatments outside any stay of the patient
-- denominator: trips: distinct (patient, hospital, date) with such a treatment
-- exclusions: during_stay
-- unit: treatments per trip
-- direction: higher_is_better
-- kind: ratio
-- level: hospital
-- requires: none

-- metrics.md §3.6. One fact per in-person ambulatory treatment; "inside a stay" as in
-- trips_per_patient. The first counted treatment of each trip (by start_ts, then treatment_id
-- as text) carries den = 1, the others 0: a trip lies in one month and one hospital, so
-- sum(den) counts trips at every grain. Treatments inside a stay are listed with exclusion
-- during_stay.
-- A patient's stays never overlap (stays.sql starts a new stay only after the running maximum
-- discharge), so the one stay that can hold a treatment is the last one admitted at or before
-- it: an ASOF join finds it without a range join.
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
), ranked AS (
  SELECT *,
         lag(trip_date) OVER (PARTITION BY patient_id, hospital_id, during_stay_id IS NULL
                              ORDER BY trip_date, start_ts, treatment_id) AS prev_date
  FROM placed
)
SELECT
  trip_date AS period_date,
  hospital_id,
  'ALL' AS department_id,
  CASE WHEN during_stay_id IS NOT NULL THEN 'during_stay' END AS exclusion,
  CASE WHEN during_stay_id IS NOT NULL THEN NULL ELSE 1.0 END AS num,
  CASE WHEN during_stay_id IS NOT NULL THEN NULL
       WHEN prev_date IS NULL OR prev_date <> trip_date THEN 1.0 ELSE 0.0 END AS den,
  patient_id,
  treatment_id,
  department_id AS treatment_department_id,
  start_ts,
  during_stay_id
FROM ranked
