-- metric_id: drg_value
-- version: 1
-- view: activity
-- title: DRG production value
-- title_da: DRG-produktionsværdi
-- definition: Sum of DRG weights of the inpatient contacts discharged in the month.
--   Contacts without a weight add nothing; contacts still admitted at the cutoff are not yet discharged.
-- definition_da: Summen af DRG-vægtene for de indlæggelseskontakter, der blev udskrevet i måneden. Kontakter uden vægt bidrager ikke; kontakter, der stadig er indlagt ved dataskæringen, er endnu ikke udskrevet.
-- grain: month of discharge × the contact's hospital × the contact's department
-- grain_da: udskrivelsesmåned × kontaktens hospital × kontaktens afdeling
-- numerator: sum of drg_weight
-- numerator_da: summen af drg_weight
-- denominator: none (a sum)
-- denominator_da: ingen (en sum)
-- exclusions: none
-- unit: DRG weight
-- unit_da: DRG-vægt
-- direction: neutral
-- kind: sum
-- level: department
-- requires: drg
-- order: 70
-- docs: metrics/activity.md
-- charts: none
-- periods: event
-- recompute: patients

-- admissions_in_scope shows a contact discharged after the cutoff as still admitted, so
-- it has no discharge month yet.
SELECT
  CAST(a.discharge_ts AS DATE) AS period_date,
  a.hospital_id,
  a.department_id,
  CAST(NULL AS VARCHAR) AS exclusion,
  a.drg_weight AS num,
  CAST(NULL AS DOUBLE) AS den,
  a.admission_id,
  a.patient_id,
  a.drg_code,
  a.discharge_ts
FROM admissions_in_scope a
WHERE a.discharge_ts IS NOT NULL
  AND a.drg_weight IS NOT NULL
