-- metric_id: ed_return_72h
-- version: 1
-- view: outcome
-- title: Return to the emergency department within 72 hours
-- title_da: Nyt besøg i akutmodtagelsen inden for 72 timer
-- definition: Share of emergency visits sent home (not admitted) after which the patient came back to an emergency department, at any hospital, within 72 hours.
-- definition_da: Andel af besøgene i akutmodtagelsen, der endte med hjemsendelse (ikke indlæggelse), hvor patienten kom tilbage til en akutmodtagelse, på et hvilket som helst hospital, inden for 72 timer.
-- grain: month of the visit × hospital × department of the visit
-- grain_da: besøgets måned × hospital × besøgets afdeling
-- numerator: visits followed by another emergency visit of the same patient starting within (start, start + 72 h], whether or not that one led to an admission
-- numerator_da: besøg, der følges af et nyt besøg i akutmodtagelsen for samme patient med start inden for (start, start + 72 t], uanset om det nye besøg førte til indlæggelse
-- denominator: emergency visits that did not become an admission, starting at least 72 hours before the cutoff
-- denominator_da: besøg i akutmodtagelsen, der ikke blev til en indlæggelse, med start mindst 72 timer før dataskæringen
-- exclusions: became_admission, incomplete_follow_up
-- unit: share of visits
-- unit_da: andel af besøg
-- direction: lower_is_better
-- kind: rate
-- level: department
-- requires: none
-- order: 160
-- docs: metrics/emergency-returns.md
-- charts: funnel, control
-- periods: event
-- recompute: patients
-- follow_up_days: 3
-- near_settings: emergency

-- docs/reference/metrics.md#ed-return. A visit became an admission when an inpatient contact (any hospital) of the
-- patient has admit_ts from the visit's start_ts to params.stay_gap_hours after its end_ts
-- (start_ts when end_ts is empty), both ends inclusive. Reasons are checked in the order that page gives them:
-- became_admission first, then incomplete_follow_up (start_ts + 72 h after the cutoff).
WITH ed AS (
  SELECT t.treatment_id, t.patient_id, t.hospital_id, t.department_id, t.start_ts,
         coalesce(t.end_ts, t.start_ts) AS end_or_start
  FROM treatments_in_scope t
  WHERE t.setting = 'emergency'
), admitted AS (
  SELECT e.treatment_id, first(a.admission_id ORDER BY a.admit_ts, a.admission_id) AS admission_id
  FROM ed e
  CROSS JOIN params p
  JOIN admissions_in_scope a
    ON a.patient_id = e.patient_id
   AND a.admit_ts >= e.start_ts
   AND a.admit_ts <= e.end_or_start + to_microseconds(CAST(round(p.stay_gap_hours * 3600000000) AS BIGINT))
  GROUP BY e.treatment_id
), returns AS (
  SELECT e.treatment_id,
         count(*) AS n_returns,
         first(r.treatment_id ORDER BY r.start_ts, r.treatment_id) AS return_treatment_id,
         min(r.start_ts) AS return_ts
  FROM ed e
  JOIN ed r
    ON r.patient_id = e.patient_id
   AND r.start_ts > e.start_ts
   AND r.start_ts <= e.start_ts + INTERVAL 72 HOUR
  GROUP BY e.treatment_id
), classified AS (
  SELECT e.*, ad.admission_id, rt.n_returns, rt.return_treatment_id, rt.return_ts,
         CASE WHEN ad.admission_id IS NOT NULL THEN 'became_admission'
              WHEN e.start_ts + INTERVAL 72 HOUR > p.cutoff THEN 'incomplete_follow_up' END AS exclusion
  FROM ed e
  CROSS JOIN params p
  LEFT JOIN admitted ad USING (treatment_id)
  LEFT JOIN returns rt USING (treatment_id)
)
SELECT
  CAST(start_ts AS DATE) AS period_date,
  hospital_id,
  department_id,
  exclusion,
  CASE WHEN exclusion IS NOT NULL THEN NULL WHEN return_treatment_id IS NOT NULL THEN 1.0 ELSE 0.0 END AS num,
  CAST(NULL AS DOUBLE) AS den,
  patient_id,
  treatment_id,
  start_ts,
  admission_id AS became_admission_id,
  coalesce(n_returns, 0) AS n_returns,
  return_treatment_id,
  return_ts,
  (epoch_us(return_ts) - epoch_us(start_ts)) / 3600000000.0 AS hours_to_return
FROM classified
