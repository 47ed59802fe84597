-- metric_id: readmission_7d
-- version: 1
-- view: outcome
-- title: 7-day unplanned readmission
-- definition: Share of index stays whose patient's next stay is unplanned (acute or unknown) and starts
--   within 7 days of discharge. When the next stay is planned, the index is not readmitted.
-- grain: month of discharge × discharging hospital × discharging department
-- numerator: index stays followed by an unplanned stay admitted at most 7 days after the discharge date
-- denominator: index stays: closed stays, patient alive at discharge, not against advice, not transferred out, 7 days of follow-up before the cutoff
-- exclusions: died, against_advice, transfer_out, incomplete_follow_up
-- unit: share of index stays
-- direction: lower_is_better
-- kind: rate
-- level: department
-- requires: none

-- One fact per closed stay (the candidate index stays), with the first applicable
-- exclusion in the order of metrics §3.1 and, for audit, the patient's next stay.
-- Stays of one patient never overlap (stays.sql merges overlapping contacts), so the
-- next stay by admit_ts is "the first stay that starts after the index stay".
WITH s AS (
  SELECT
    st.*,
    lead(st.stay_id) OVER w AS next_stay_id,
    lead(st.admit_ts) OVER w AS next_admit_ts,
    lead(st.admission_type) OVER w AS next_admission_type,
    lead(st.admit_hospital_id) OVER w AS next_hospital_id
  FROM stays st
  WINDOW w AS (PARTITION BY st.patient_id ORDER BY st.admit_ts, st.stay_id)
), f AS (
  SELECT
    s.*,
    CAST(s.discharge_ts AS DATE) AS discharge_date,
    date_diff('day', CAST(s.discharge_ts AS DATE), CAST(s.next_admit_ts AS DATE)) AS days_to_next_stay,
    p.cutoff_date
  FROM s CROSS JOIN params p
  WHERE NOT s.is_open
), r AS (
  SELECT
    f.*,
    coalesce(f.days_to_next_stay <= 7 AND f.next_admission_type IN ('acute', 'unknown'), false) AS readmitted
  FROM f
)
SELECT
  r.discharge_date AS period_date,
  r.discharge_hospital_id AS hospital_id,
  r.discharge_department_id AS department_id,
  CASE
    WHEN r.died_in_stay THEN 'died'
    WHEN r.discharge_disposition = 'against_advice' THEN 'against_advice'
    WHEN r.discharge_disposition = 'transfer' THEN 'transfer_out'
    WHEN r.discharge_date + 7 > r.cutoff_date THEN 'incomplete_follow_up'
  END AS exclusion,
  CAST(CASE WHEN r.readmitted THEN 1 ELSE 0 END AS DOUBLE) AS num,
  CAST(NULL AS DOUBLE) AS den,
  r.patient_id,
  r.stay_id,
  r.admit_ts,
  r.discharge_ts,
  r.discharge_disposition,
  r.readmitted,
  CASE WHEN r.readmitted THEN r.next_stay_id END AS readmission_stay_id,
  CASE WHEN r.readmitted THEN r.days_to_next_stay END AS days_to_readmission,
  CASE WHEN r.readmitted THEN CASE WHEN r.next_hospital_id = r.discharge_hospital_id THEN 'same' ELSE 'other' END END
    AS readmission_hospital,
  r.next_stay_id,
  r.next_admission_type,
  r.days_to_next_stay
FROM r
