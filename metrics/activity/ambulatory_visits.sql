-- metric_id: ambulatory_visits
-- version: 1
-- view: activity
-- title: Ambulatory visits
-- title_da: Ambulante besøg
-- definition: Distinct (patient, hospital, department, date) among ambulatory treatments, in person or virtual:
--   the unit an activity tariff pays per clinic per day.
-- definition_da: Forskellige (patient, hospital, afdeling, dato) blandt de ambulante behandlinger, med fremmøde eller virtuelle: den enhed, en aktivitetstakst betaler pr. ambulatorium pr. dag.
-- grain: date of the treatment start × hospital × department
-- grain_da: dato for behandlingens start × hospital × afdeling
-- numerator: distinct patient-clinic-days in the period
-- numerator_da: forskellige patient-ambulatorie-dage i perioden
-- denominator: none (a count)
-- denominator_da: ingen (et antal)
-- exclusions: none
-- unit: visits
-- unit_da: besøg
-- direction: neutral
-- kind: count
-- level: department
-- requires: none
-- order: 40
-- docs: metrics/activity.md
-- charts: none
-- periods: event
-- recompute: patients

-- One fact per tuple, so every grain counts the same tuples: a hospital's visits are the
-- sum of its departments'. Treatments after a configured cutoff are counted (as
-- after_cutoff) under the metric treatments only. A patient is grouped by its number
-- (metrics/shared/ambulatory_in_scope.sql: one number per patient_id).
SELECT
  CAST(t.start_ts AS DATE) AS period_date,
  t.hospital_id,
  t.department_id,
  CAST(NULL AS VARCHAR) AS exclusion,
  CAST(1 AS DOUBLE) AS num,
  CAST(NULL AS DOUBLE) AS den,
  any_value(t.patient_id) AS patient_id,
  t.patient_key,
  count(*) AS treatments,
  count(*) FILTER (WHERE t.mode = 'virtual') AS virtual_treatments
FROM ambulatory_in_scope t
GROUP BY t.patient_key, t.hospital_id, t.department_id, CAST(t.start_ts AS DATE)
