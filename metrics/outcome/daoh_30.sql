-- metric_id: daoh_30
-- version: 1
-- view: outcome
-- title: Days alive and out of hospital (30 days)
-- definition: Of the 30 days that start on the admission date of a stay, the days the patient is alive and in no hospital stay; 0 when the patient dies within those 30 days.
-- grain: month of admission × admitting hospital × admitting department
-- numerator: sum of days alive and out of hospital over the stays
-- denominator: stays admitted at least 30 days before the cutoff date
-- exclusions: incomplete_follow_up
-- unit: days
-- direction: higher_is_better
-- kind: mean
-- level: department
-- requires: none

-- metrics.md §3.5. Window = dates t0 … t0+29, t0 = date(admit_ts). A stay covers its admit
-- date to its discharge date inclusive (an open stay up to the cutoff date: stays.end_ts is
-- the cutoff). Each stay meeting the window contributes only the dates it covers inside it,
-- so date generation is bounded by 30 per (stay, overlapping stay) pair.
WITH s AS (
  SELECT
    st.stay_id, st.patient_id, st.admit_hospital_id, st.admit_department_id,
    CAST(st.admit_ts AS DATE) AS t0,
    CAST(st.admit_ts AS DATE) + 29 AS t_last,
    CAST(st.admit_ts AS DATE) + 30 <= p.cutoff_date AS complete
  FROM stays st CROSS JOIN params p
), spans AS (
  SELECT s.stay_id, o.stay_id AS other_stay_id,
         greatest(CAST(o.admit_ts AS DATE), s.t0) AS d_from,
         least(CAST(o.end_ts AS DATE), s.t_last) AS d_to,
         o.died_in_stay AND CAST(o.discharge_ts AS DATE) BETWEEN s.t0 AND s.t_last AS death_in_stay_in_window
  FROM s
  JOIN stays o
    ON o.patient_id = s.patient_id
   AND CAST(o.admit_ts AS DATE) <= s.t_last
   AND CAST(o.end_ts AS DATE) >= s.t0
  WHERE s.complete
), days AS (
  SELECT stay_id, count(DISTINCT d) AS hospital_days
  FROM (
    SELECT stay_id, unnest(generate_series(d_from, d_to, INTERVAL 1 DAY)) AS d FROM spans
  )
  GROUP BY stay_id
), deaths AS (
  SELECT stay_id, bool_or(coalesce(death_in_stay_in_window, false)) AS death_in_stay_in_window,
         string_agg(other_stay_id, ',' ORDER BY other_stay_id) AS stays_in_window
  FROM spans GROUP BY stay_id
), r AS (
  SELECT s.*, dy.hospital_days, de.stays_in_window,
         s.complete AND (coalesce(pt.death_date BETWEEN s.t0 AND s.t_last, false)
                         OR coalesce(de.death_in_stay_in_window, false)) AS died_in_window
  FROM s
  LEFT JOIN days dy USING (stay_id)
  LEFT JOIN deaths de USING (stay_id)
  LEFT JOIN patients_or_empty pt ON pt.patient_id = s.patient_id
)
SELECT
  t0 AS period_date,
  admit_hospital_id AS hospital_id,
  admit_department_id AS department_id,
  CASE WHEN NOT complete THEN 'incomplete_follow_up' END AS exclusion,
  CAST(CASE WHEN NOT complete THEN NULL
            WHEN died_in_window THEN 0
            ELSE 30 - hospital_days END AS DOUBLE) AS num,
  CAST(NULL AS DOUBLE) AS den,
  patient_id,
  stay_id,
  t0 AS window_start,
  t_last AS window_end,
  hospital_days,
  died_in_window,
  stays_in_window
FROM r
