-- metric_id: trips_per_patient
-- version: 1
-- view: outcome
-- title: Hospital trips per patient
-- title_da: Fremmøder på hospitalet pr. patient
-- definition: How many separate days a patient came to the hospital for in-person outpatient care, per patient who came at all; treatments given during an inpatient stay are not trips.
-- definition_da: Hvor mange forskellige dage en patient mødte op på hospitalet til ambulant behandling, pr. patient, der mødte op; behandlinger under en indlæggelse er ikke fremmøder.
-- grain: month of the trip × hospital (hospital level)
-- grain_da: fremmødets måned × hospital (hospitalsniveau)
-- numerator: trips: distinct (patient, hospital, date) with at least one in-person ambulatory treatment outside any stay of the patient
-- numerator_da: fremmøder: forskellige (patient, hospital, dato) med mindst én ambulant behandling med fremmøde uden for patientens indlæggelsesforløb
-- denominator: distinct patients with a trip in the cell (at the ALL level: with a trip at any hospital)
-- denominator_da: forskellige patienter med et fremmøde i cellen (på ALL-niveau: med et fremmøde på et hvilket som helst hospital)
-- exclusions: during_stay
-- unit: trips per patient
-- unit_da: fremmøder pr. patient
-- direction: lower_is_better
-- kind: ratio
-- level: hospital
-- requires: none
-- order: 170
-- docs: metrics/trips.md
-- charts: none
-- periods: event
-- recompute: patients

-- docs/reference/metrics.md#trips. One fact per (patient, hospital, date) of metrics/shared/trip_days.sql,
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
  patient_key,
  n_treatments,
  n_during_stay
FROM trip_days
