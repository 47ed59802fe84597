-- shared: treatment_rows
-- materialize: view

-- Every row of treatments (not only those in scope) as a count fact, filed under its start
-- date, hospital and department; a row starting after a configured cutoff is kept with reason
-- after_cutoff, since the activity counts are where such rows are counted (docs/metrics.md).
-- treatments and emergency_visits each pick their setting.
SELECT
  CAST(t.start_ts AS DATE) AS period_date,
  t.hospital_id,
  t.department_id,
  CASE WHEN t.start_ts > p.cutoff THEN 'after_cutoff' END AS exclusion,
  CAST(1 AS DOUBLE) AS num,
  CAST(NULL AS DOUBLE) AS den,
  t.treatment_id,
  t.patient_id,
  t.start_ts,
  t.end_ts,
  t.mode,
  t.setting
FROM treatments t
CROSS JOIN params p
