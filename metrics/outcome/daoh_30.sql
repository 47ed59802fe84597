-- metric_id: daoh_30
-- version: 1
-- view: outcome
-- title: Days alive and out of hospital (30 days)
-- title_da: Dage i live og uden for hospital (30 dage)
-- definition: Of the 30 days that start on the admission date of a stay, the days the patient is alive and in no hospital stay; 0 when the patient dies within those 30 days.
-- definition_da: Af de 30 dage, der begynder på et forløbs indlæggelsesdato, de dage, patienten er i live og ikke indlagt; 0, når patienten dør inden for de 30 dage.
-- grain: month of admission × admitting hospital × admitting department
-- grain_da: indlæggelsesmåned × indlæggende hospital × indlæggende afdeling
-- numerator: sum of days alive and out of hospital over the stays
-- numerator_da: summen af dage i live og uden for hospital over forløbene
-- denominator: stays admitted at least 30 days before the cutoff date
-- denominator_da: forløb med indlæggelse mindst 30 dage før dataskæringsdatoen
-- exclusions: incomplete_follow_up
-- unit: days
-- unit_da: dage
-- direction: higher_is_better
-- kind: mean
-- level: department
-- requires: none
-- order: 150
-- docs: metrics/days-at-home.md
-- charts: none
-- periods: event
-- recompute: patients
-- follow_up_days: 31

-- docs/reference/metrics.md#daoh. Window = dates t0 … t0+29, t0 = date(admit_ts). A stay covers its admit
-- date to its discharge date inclusive (an open stay up to the cutoff date: stays.end_ts is
-- the cutoff). Hospital days = size of the union of the patient's stay date ranges clipped to
-- the window, computed as an interval union (ranges sorted by start; each adds the dates after
-- the furthest end seen so far) instead of generating and de-duplicating dates.
WITH s AS (
  SELECT
    st.stay_id, st.patient_id, st.admit_hospital_id, st.admit_department_id,
    CAST(st.admit_ts AS DATE) AS t0,
    CAST(st.admit_ts AS DATE) + 29 AS t_last,
    CAST(st.admit_ts AS DATE) + 30 <= p.cutoff_date AS complete
  FROM stays st CROSS JOIN params p
), spans AS (
  SELECT s.stay_id,
         greatest(CAST(o.admit_ts AS DATE), s.t0) AS d_from,
         least(CAST(o.end_ts AS DATE), s.t_last) AS d_to,
         o.died_in_stay AND CAST(o.discharge_ts AS DATE) BETWEEN s.t0 AND s.t_last AS death_in_stay_in_window
  FROM s
  JOIN stays o
    ON o.patient_id = s.patient_id
   AND CAST(o.admit_ts AS DATE) <= s.t_last
   AND CAST(o.end_ts AS DATE) >= s.t0
  WHERE s.complete
), added AS (
  SELECT *,
         greatest(0, date_diff('day',
           greatest(d_from - 1, coalesce(max(d_to) OVER (PARTITION BY stay_id ORDER BY d_from, d_to
                                                        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), d_from - 1)),
           d_to)) AS new_days
  FROM spans
), covered AS (
  SELECT stay_id,
         sum(new_days) AS hospital_days,
         bool_or(coalesce(death_in_stay_in_window, false)) AS death_in_stay_in_window,
         count(*) AS stays_in_window
  FROM added GROUP BY stay_id
), r AS (
  SELECT s.*, c.hospital_days, c.stays_in_window,
         s.complete AND (coalesce(pt.death_date BETWEEN s.t0 AND s.t_last, false)
                         OR coalesce(c.death_in_stay_in_window, false)) AS died_in_window
  FROM s
  LEFT JOIN covered c USING (stay_id)
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
