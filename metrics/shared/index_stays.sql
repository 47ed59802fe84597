-- shared: index_stays
-- materialize: table

-- The candidate index stays of the readmission and mortality metrics (docs/reference/metrics.md#readmission, §3.2, §3.4):
-- one row per closed stay and follow-up window (window_days 7 and 30), with the first
-- applicable exclusion in the order of §3.1, and whether the patient's next stay is an
-- unplanned (acute or unknown) readmission within the window. Only the first later stay is
-- looked at: when it is planned, the index is not readmitted.
-- Stays of one patient never overlap (stays.sql merges overlapping contacts), so the next
-- stay by admit_ts is "the first stay that starts after the index stay"; it may be open.
-- The follow-up rules differ only by the window, so they are written once over both windows;
-- a metric with another window adds its number to the VALUES list.
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
)
SELECT
  w.window_days,
  f.*,
  CASE
    WHEN f.died_in_stay THEN 'died'
    WHEN f.discharge_disposition = 'against_advice' THEN 'against_advice'
    WHEN f.discharge_disposition = 'transfer' THEN 'transfer_out'
    WHEN f.discharge_date + w.window_days > f.cutoff_date THEN 'incomplete_follow_up'
  END AS exclusion,
  coalesce(f.days_to_next_stay <= w.window_days AND f.next_admission_type IN ('acute', 'unknown'), false) AS readmitted
FROM f CROSS JOIN (VALUES (7), (30)) w(window_days)
