-- shared: readmission_strata
-- materialize: table

-- The index stays of readmission_30d_oe with their strata (docs/reference/metrics.md#readmission-oe, §3.1):
-- index stays, exclusions (first applicable, in the order of §3.1) and the readmitted flag are those
-- of readmission_30d: both read the 30-day rows of index_stays. Stratum: age band
-- (year(admit_ts) - birth_year; unknown without a birth year or when negative) × sex (U without a
-- patients row) × the stay's admission_type; ref_year and period_date: the discharge year and date.
-- Every row is one patient's, so a night keeps them per patient (readmission_30d_oe: recompute: years).
-- The cutoff itself is left out: a row changes with it only through its exclusion.
SELECT
  i.* EXCLUDE (cutoff_date),
  i.discharge_date AS period_date,
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
