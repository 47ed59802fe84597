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

-- metrics.md §3.6. One fact per in-person ambulatory treatment. The first treatment of each
-- trip (by start_ts, then treatment_id as text) carries den = 1, the others 0: a trip lies in
-- one month and one hospital, so sum(den) counts trips at every grain. Treatments inside a
-- stay (same rule as trips_per_patient) are listed with exclusion during_stay.
WITH amb AS (
  SELECT t.treatment_id, t.patient_id, t.hospital_id, t.department_id, t.start_ts,
         CAST(t.start_ts AS DATE) AS trip_date
  FROM treatments_in_scope t
  WHERE t.setting = 'ambulatory' AND t.mode = 'in_person'
), in_stay AS (
  SELECT a.treatment_id, min(s.stay_id) AS stay_id
  FROM amb a
  JOIN stays s
    ON s.patient_id = a.patient_id
   AND a.start_ts >= s.admit_ts
   AND (s.discharge_ts IS NULL OR a.start_ts <= s.discharge_ts)
  GROUP BY a.treatment_id
), marked AS (
  SELECT a.*, i.stay_id AS during_stay_id,
         CASE WHEN i.treatment_id IS NULL
              THEN row_number() OVER (PARTITION BY a.patient_id, a.hospital_id, a.trip_date, i.treatment_id IS NULL
                                      ORDER BY a.start_ts, a.treatment_id) END AS rank_in_trip
  FROM amb a LEFT JOIN in_stay i USING (treatment_id)
)
SELECT
  trip_date AS period_date,
  hospital_id,
  'ALL' AS department_id,
  CASE WHEN during_stay_id IS NOT NULL THEN 'during_stay' END AS exclusion,
  CASE WHEN during_stay_id IS NOT NULL THEN NULL ELSE 1.0 END AS num,
  CASE WHEN during_stay_id IS NOT NULL THEN NULL WHEN rank_in_trip = 1 THEN 1.0 ELSE 0.0 END AS den,
  patient_id,
  treatment_id,
  department_id AS treatment_department_id,
  start_ts,
  during_stay_id
FROM marked
