-- metric_id: readmission_drg_share
-- version: 1
-- view: outcome
-- title: DRG value paid for readmissions
-- title_da: DRG-værdi betalt for akutte genindlæggelser
-- definition: Share of the DRG production value (DRG weights of the inpatient contacts discharged in the month)
--   that paid for unplanned readmissions: contacts of a patient's first stay after a stay that ended alive, not
--   against advice and not transferred out, when that stay is unplanned (acute or unknown) and starts within
--   30 days of the discharge. Under activity-based payment a readmission earns a second DRG.
-- definition_da: Andel af DRG-produktionsværdien (DRG-vægtene for de indlæggelseskontakter, der blev udskrevet i måneden), der betalte for akutte genindlæggelser: kontakterne i en patients første indlæggelsesforløb efter et forløb, der endte med patienten i live, ikke udskrevet mod råd og ikke overflyttet til et andet hospital, når dette forløb er uplanlagt (akut eller ukendt) og begynder inden for 30 dage efter udskrivelsen. Under takststyring udløser en genindlæggelse endnu en DRG-takst.
-- grain: month of discharge × the contact's hospital × the contact's department
-- grain_da: udskrivelsesmåned × kontaktens hospital × kontaktens afdeling
-- numerator: sum of drg_weight of the discharged contacts that belong to an unplanned readmission stay within 30 days
-- numerator_da: summen af drg_weight for de udskrevne kontakter, der hører til et uplanlagt genindlæggelsesforløb inden for 30 dage
-- denominator: sum of drg_weight of all discharged contacts (the drg_value of the same cell)
-- denominator_da: summen af drg_weight for alle udskrevne kontakter (drg_value i samme celle)
-- exclusions: none
-- unit: share of DRG value
-- unit_da: andel af DRG-værdien
-- direction: lower_is_better
-- kind: share
-- level: department
-- requires: drg
-- order: 85
-- docs: metrics/readmission-value.md
-- charts: funnel, control
-- periods: event
-- denominator_metric: drg_value
-- recompute: patients

-- docs/reference/metrics.md#readmission-drg-share; our reading: docs/metrics/readmission-value.md.
-- One fact per contact that drg_value sums (discharged by the cutoff, with a weight): a
-- contact without a discharge or a weight is not a record of either metric, so the
-- denominator is drg_value cell by cell.
-- The readmissions are those of readmission_30d's candidate index stays (index_stays,
-- window 30) without its follow-up rule: the readmission has already happened and been
-- paid for. Rules 1-3 hold exactly when the exclusion is empty or incomplete_follow_up,
-- the last reason in the order of docs/reference/metrics.md#readmission. A stay follows at
-- most one stay, so it readmits at most one index stay and each contact joins one row at most.
-- Every fact is one patient's (the readmission and its index stay are the same patient's), and the
-- rules read neither the follow-up nor the cutoff beyond what drg_value reads, so a night recomputes
-- the patients that changed (recompute: patients); the people behind a cell are counted again for
-- the years in which a fact changed (every cell lies in one year).
WITH readmits AS (
  SELECT
    i.next_stay_id AS stay_id,
    i.stay_id AS index_stay_id,
    i.discharge_ts AS index_discharge_ts,
    i.discharge_hospital_id AS index_hospital_id,
    i.discharge_disposition AS index_disposition,
    i.days_to_next_stay AS days_after_index
  FROM index_stays i
  WHERE i.window_days = 30
    AND i.readmitted
    AND (i.exclusion IS NULL OR i.exclusion = 'incomplete_follow_up')
)
SELECT
  CAST(a.discharge_ts AS DATE) AS period_date,
  a.hospital_id,
  a.department_id,
  CAST(NULL AS VARCHAR) AS exclusion,
  CAST(CASE WHEN r.stay_id IS NULL THEN 0 ELSE a.drg_weight END AS DOUBLE) AS num,
  CAST(a.drg_weight AS DOUBLE) AS den,
  a.admission_id,
  a.patient_id,
  cs.stay_id,
  a.admit_ts,
  a.discharge_ts,
  a.admission_type,
  a.drg_code,
  a.drg_weight,
  r.stay_id IS NOT NULL AS readmission,
  r.index_stay_id,
  r.index_discharge_ts,
  r.index_hospital_id,
  r.index_disposition,
  r.days_after_index
FROM admissions_in_scope a
JOIN contact_stay cs ON cs.admission_id = a.admission_id
LEFT JOIN readmits r ON r.stay_id = cs.stay_id
WHERE a.discharge_ts IS NOT NULL
  AND a.drg_weight IS NOT NULL
