-- metric_id: emergency_visits
-- version: 1
-- view: activity
-- title: Emergency visits
-- definition: Rows of treatments with setting emergency, in the month they start.
-- grain: month of the visit start × hospital × department
-- numerator: emergency visits in the period
-- denominator: none (a count)
-- exclusions: after_cutoff
-- unit: visits
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
  t.end_ts
FROM treatments t
CROSS JOIN params p
WHERE t.setting = 'emergency'
