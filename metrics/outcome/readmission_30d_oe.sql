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

-- docs/reference/metrics.md#readmission-oe: indirect standardisation over the index stays of readmission_30d (§3.1).
-- Index stays, exclusions (first applicable, in the order of §3.1) and the readmitted flag
-- are those of readmission_30d: both read the 30-day rows of metrics/shared/index_stays.sql.
-- Stratum: age band (year(admit_ts) - birth_year; unknown without a birth year or when
-- negative) × sex (U without a patients row) × the stay's admission_type. Reference rate:
-- readmitted share of the counted index stays of the stratum discharged in the same calendar
-- year, all hospitals; a month cell therefore uses its year's rates.
WITH strat AS (
  SELECT
    i.*,
    year(i.discharge_date) AS ref_year,
    year(i.admit_ts) - pt.birth_year AS age,
    CASE
      WHEN pt.birth_year IS NULL OR year(i.admit_ts) - pt.birth_year < 0 THEN 'unknown'
      WHEN year(i.admit_ts) - pt.birth_year <= 17 THEN '0-17'
      WHEN year(i.admit_ts) - pt.birth_year <= 44 THEN '18-44'
      WHEN year(i.admit_ts) - pt.birth_year <= 64 THEN '45-64'
      WHEN year(i.admit_ts) - pt.birth_year <= 74 THEN '65-74'
      WHEN year(i.admit_ts) - pt.birth_year <= 84 THEN '75-84'
      ELSE '85+'
    END AS age_band,
    coalesce(pt.sex, 'U') AS sex
  FROM index_stays i
  LEFT JOIN patients_or_empty pt ON pt.patient_id = i.patient_id
  WHERE i.window_days = 30
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
