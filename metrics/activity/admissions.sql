-- metric_id: admissions
-- version: 1
-- view: activity
-- title: Admissions
-- title_da: Indlæggelser
-- definition: Inpatient contacts (rows of admissions), each counted once in the month it was admitted.
--   A transfer between departments or hospitals counts once per contact.
-- definition_da: Indlæggelseskontakter (rækker i admissions), hver talt én gang i den måned, patienten blev indlagt. En overflytning mellem afdelinger eller hospitaler tæller én gang pr. kontakt.
-- grain: month of admission × the contact's hospital × the contact's department
-- grain_da: indlæggelsesmåned × kontaktens hospital × kontaktens afdeling
-- numerator: inpatient contacts admitted in the period
-- numerator_da: indlæggelseskontakter med indlæggelse i perioden
-- denominator: none (a count)
-- denominator_da: ingen (et antal)
-- exclusions: after_cutoff
-- unit: contacts
-- unit_da: kontakter
-- direction: neutral
-- kind: count
-- level: department
-- requires: none
-- order: 10
-- docs: metrics/activity.md
-- charts: none
-- periods: event
-- recompute: patients

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
