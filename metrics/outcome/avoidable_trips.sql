-- metric_id: avoidable_trips
-- version: 1
-- view: outcome
-- title: Trips same-day coordination could have saved
-- title_da: Fremmøder, som samordning på samme dag kunne have sparet
-- definition: Within each course of outpatient care at a hospital, the trips beyond what the busiest single department needed, as a share of all trips; the cost of "one treatment per day".
-- definition_da: Inden for hvert ambulant forløb på et hospital: de fremmøder ud over dem, den travleste enkelte afdeling havde brug for, som andel af alle fremmøder; prisen for "én behandling om dagen".
-- grain: month of the course's first trip × hospital (hospital level)
-- grain_da: måned for forløbets første fremmøde × hospital (hospitalsniveau)
-- numerator: sum over courses of T - m (T trips of the course, m the most distinct trip dates any one department saw the patient on)
-- numerator_da: summen over forløbene af T - m (T forløbets fremmøder, m det største antal forskellige fremmødedatoer, én afdeling så patienten på)
-- denominator: sum over courses of T
-- denominator_da: summen over forløbene af T
-- exclusions: during_stay
-- unit: share of trips
-- unit_da: andel af fremmøder
-- direction: lower_is_better
-- kind: ratio
-- level: hospital
-- requires: none
-- order: 190
-- docs: metrics/trips.md
-- charts: funnel, control
-- periods: event
-- recompute: patients

-- docs/reference/metrics.md#avoidable-trips. Trips and "outside any stay" exactly as in trips_per_patient (§3.6): both
-- read metrics/shared/ambulatory_placed.sql and trip_days.sql. Per patient and hospital, trip
-- dates in order; a trip more than params.course_gap_days after the previous one starts a new
-- course. One fact per course.
-- A (patient, hospital, date) whose in-person ambulatory treatments all fall inside stays would
-- have been a trip: it is listed with exclusion during_stay (as in trips_per_patient), dated by
-- its own date, so that what the denominator leaves out stays visible.
-- Courses are numbered on the distinct (date, department) rows (no join back from trips): the
-- first row of each date says whether its date starts a course, and a running sum ordered by
-- date (RANGE frame: rows of one date are peers) gives every row of a date the same course.
-- A patient's rows are taken together by its number (metrics/shared/ambulatory_in_scope.sql: one
-- number per patient_id), which costs less to group and sort on than the patient_id text.
WITH dd AS (
  SELECT patient_key, any_value(patient_id) AS patient_id, hospital_id, trip_date, department_id
  FROM ambulatory_placed WHERE during_stay_id IS NULL
  GROUP BY patient_key, hospital_id, trip_date, department_id
), ordered AS (
  SELECT k.*,
         lag(k.trip_date) OVER (PARTITION BY k.patient_key, k.hospital_id
                                ORDER BY k.trip_date, k.department_id) AS prev_date,
         p.course_gap_days
  FROM dd k CROSS JOIN params p
), flagged AS (
  SELECT *,
         CASE WHEN prev_date IS NULL OR prev_date <> trip_date THEN 1 ELSE 0 END AS new_date,
         CASE WHEN prev_date IS NULL OR date_diff('day', prev_date, trip_date) > course_gap_days
              THEN 1 ELSE 0 END AS new_course
  FROM ordered
), numbered AS (
  SELECT *,
         sum(new_course) OVER (PARTITION BY patient_key, hospital_id ORDER BY trip_date) AS course_no
  FROM flagged
), dept_days AS (
  SELECT patient_key, any_value(patient_id) AS patient_id, hospital_id, course_no, department_id,
         count(*) AS days,
         sum(new_date) AS course_dates_here,
         min(trip_date) AS first_date,
         max(trip_date) AS last_date
  FROM numbered
  GROUP BY patient_key, hospital_id, course_no, department_id
), courses AS (
  SELECT patient_key, any_value(patient_id) AS patient_id, hospital_id, course_no,
         sum(course_dates_here) AS trips,
         max(days) AS m,
         -- audit only; among tied departments the last by text (the department of the greatest
         -- (days, department_id); arg_max keeps one string per course, where max of the pair keeps both)
         arg_max(department_id, struct_pack(d := days, x := department_id)) AS busiest_department_id,
         count(*) AS departments,
         min(first_date) AS first_trip,
         max(last_date) AS last_trip
  FROM dept_days
  GROUP BY patient_key, hospital_id, course_no
)
SELECT
  trip_date AS period_date,
  hospital_id,
  'ALL' AS department_id,
  'during_stay' AS exclusion,
  CAST(NULL AS DOUBLE) AS num,
  CAST(NULL AS DOUBLE) AS den,
  patient_id,
  patient_key,
  CAST(NULL AS BIGINT) AS course_no,
  trip_date AS first_trip,
  trip_date AS last_trip,
  CAST(NULL AS BIGINT) AS trips,
  CAST(NULL AS BIGINT) AS busiest_department_days,
  CAST(NULL AS VARCHAR) AS busiest_department_id,
  CAST(NULL AS BIGINT) AS departments
FROM trip_days
WHERE n_treatments = 0
UNION ALL
SELECT
  first_trip AS period_date,
  hospital_id,
  'ALL' AS department_id,
  CAST(NULL AS VARCHAR) AS exclusion,
  CAST(trips - m AS DOUBLE) AS num,
  CAST(trips AS DOUBLE) AS den,
  patient_id,
  patient_key,
  CAST(course_no AS BIGINT) AS course_no,
  first_trip,
  last_trip,
  CAST(trips AS BIGINT) AS trips,
  m AS busiest_department_days,
  busiest_department_id,
  departments
FROM courses
