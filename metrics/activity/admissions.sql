-- metric_id: admissions
-- version: 1
-- view: activity
-- title: Admissions
-- definition: Inpatient contacts (rows of admissions), each counted once in the month it was admitted.
--   A transfer between departments or hospitals counts once per contact.
-- grain: month of admission × the contact's hospital × the contact's department
-- numerator: inpatient contacts admitted in the period
-- denominator: none (a count)
-- exclusions: after_cutoff
-- unit: contacts
-- direction: neutral
-- kind: count
-- level: department
-- requires: none

-- One fact per contact. Contacts admitted after a configured cutoff are kept as facts
-- with reason after_cutoff: this metric is where they are counted (docs/metrics.md).
SELECT
  CAST(a.admit_ts AS DATE) AS period_date,
  a.hospital_id,
  a.department_id,
  CASE WHEN a.admit_ts > p.cutoff THEN 'after_cutoff' END AS exclusion,
  CAST(1 AS DOUBLE) AS num,
  CAST(NULL AS DOUBLE) AS den,
  a.admission_id,
  a.patient_id,
  a.admit_ts,
  a.discharge_ts,
  a.admission_type
FROM admissions a
CROSS JOIN params p
