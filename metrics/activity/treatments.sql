-- metric_id: treatments
-- version: 1
-- view: activity
-- title: Ambulatory treatments
-- definition: Rows of treatments with setting ambulatory (in person and virtual), in the month they start.
-- grain: month of the treatment start × hospital × department
-- numerator: ambulatory treatments in the period
-- denominator: none (a count)
-- exclusions: after_cutoff
-- unit: treatments
-- direction: neutral
-- kind: count
-- level: department
-- requires: none
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
  t.mode
FROM treatments t
CROSS JOIN params p
WHERE t.setting = 'ambulatory'
