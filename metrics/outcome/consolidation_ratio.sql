-- metric_id: consolidation_ratio
-- version: 1
-- view: outcome
-- title: Treatments per hospital trip
-- title_da: Behandlinger pr. fremmøde
-- definition: How many in-person outpatient treatments a patient received per trip to the hospital; higher means more of what the patient needs is done in one visit.
-- definition_da: Hvor mange ambulante behandlinger med fremmøde en patient fik pr. fremmøde på hospitalet; højere betyder, at mere af det, patienten har brug for, klares ved ét fremmøde.
-- grain: month of the treatment × hospital (hospital level)
-- grain_da: behandlingens måned × hospital (hospitalsniveau)
-- numerator: in-person ambulatory treatments outside any stay of the patient
-- numerator_da: ambulante behandlinger med fremmøde uden for patientens indlæggelsesforløb
-- denominator: trips: distinct (patient, hospital, date) with such a treatment
-- denominator_da: fremmøder: forskellige (patient, hospital, dato) med en sådan behandling
-- exclusions: during_stay
-- unit: treatments per trip
-- unit_da: behandlinger pr. fremmøde
-- direction: higher_is_better
-- kind: ratio
-- level: hospital
-- requires: none
-- order: 180
-- docs: metrics/trips.md
-- charts: none
-- periods: event
-- recompute: patients

-- docs/reference/metrics.md#trips. One fact per in-person ambulatory treatment; "inside a stay" as in
-- trips_per_patient (metrics/shared/ambulatory_placed.sql). The first counted treatment of
-- each trip (by start_ts, then treatment_id as text) carries den = 1, the others 0: a trip
-- lies in one month and one hospital, so sum(den) counts trips at every grain. Treatments
-- inside a stay are listed with exclusion during_stay. A patient's treatments are taken together by
-- its number (metrics/shared/ambulatory_in_scope.sql).
WITH ranked AS (
  SELECT *,
         lag(trip_date) OVER (PARTITION BY patient_key, hospital_id, during_stay_id IS NULL
                              ORDER BY trip_date, start_ts, treatment_id) AS prev_date
  FROM ambulatory_placed
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
  patient_key,
  treatment_id,
  department_id AS treatment_department_id,
  start_ts,
  during_stay_id
FROM ranked
