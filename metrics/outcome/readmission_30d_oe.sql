-- metric_id: readmission_30d_oe
-- version: 1
-- view: outcome
-- title: 30-day unplanned readmission, observed / expected
-- title_da: Akutte genindlæggelser inden for 30 dage, observeret/forventet
-- definition: Observed 30-day unplanned readmissions divided by the number expected from the case mix (age band × sex × admission type), using each stratum's readmitted share over all hospitals in the same calendar year.
-- definition_da: Observerede uplanlagte genindlæggelser inden for 30 dage divideret med det antal, der kunne forventes ud fra patientsammensætningen (aldersgruppe × køn × indlæggelsestype), beregnet med hvert stratums andel genindlagte på tværs af alle hospitaler i samme kalenderår.
-- grain: month of discharge × discharging hospital × discharging department
-- grain_da: udskrivelsesmåned × udskrivende hospital × udskrivende afdeling
-- numerator: O, observed readmissions among the index stays of readmission_30d
-- numerator_da: O, de observerede genindlæggelser blandt indeksforløbene i readmission_30d
-- denominator: E, sum over the index stays of their stratum's reference rate in the discharge year
-- denominator_da: E, summen over indeksforløbene af deres stratums referenceandel i udskrivelsesåret
-- exclusions: died, against_advice, transfer_out, incomplete_follow_up
-- unit: ratio (1 = as expected)
-- unit_da: forhold (1 = som forventet)
-- direction: lower_is_better
-- kind: oe
-- level: department
-- requires: patients
-- order: 100
-- docs: metrics/risk-adjustment.md
-- charts: none
-- periods: event
-- recompute: years
-- per_patient: readmission_strata
-- follow_up_days: 31

-- docs/reference/metrics.md#readmission-oe: indirect standardisation over the index stays of readmission_30d (§3.1).
-- The index stays with their strata are metrics/shared/readmission_strata.sql (one patient's rows
-- each). Reference rate: readmitted share of the counted index stays of the stratum discharged in
-- the same calendar year, all hospitals; a month cell therefore uses its year's rates, and a year's
-- facts read only that year's strata rows (recompute: years: a night keeps the strata per patient
-- and computes again the years in which one changed).
WITH strat AS (
  SELECT * FROM readmission_strata
), ref AS (
  SELECT ref_year, age_band, sex, admission_type,
         count(*) AS ref_stays,
         count(*) FILTER (WHERE readmitted) AS ref_readmitted,
         count(*) FILTER (WHERE readmitted) / count(*) AS ref_rate
  FROM strat
  WHERE exclusion IS NULL
  GROUP BY ref_year, age_band, sex, admission_type
)
SELECT
  st.discharge_date AS period_date,
  st.discharge_hospital_id AS hospital_id,
  st.discharge_department_id AS department_id,
  st.exclusion,
  CASE WHEN st.readmitted THEN 1.0 ELSE 0.0 END AS num,
  CASE WHEN st.exclusion IS NULL THEN CAST(r.ref_rate AS DOUBLE) END AS den,
  st.patient_id,
  st.stay_id,
  st.readmitted,
  CASE WHEN st.readmitted THEN st.next_stay_id END AS readmission_stay_id,
  st.age,
  st.age_band,
  st.sex,
  st.admission_type,
  st.ref_year,
  r.ref_stays,
  r.ref_readmitted
FROM strat st
LEFT JOIN ref r
  ON r.ref_year = st.ref_year AND r.age_band = st.age_band AND r.sex = st.sex
 AND r.admission_type = st.admission_type AND st.exclusion IS NULL
