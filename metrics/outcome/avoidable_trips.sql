-- metric_id: avoidable_trips
-- version: 1
-- view: outcome
-- title: Trips same-day coordination could have saved
-- definition: Within each course of outpatient care at a hospital, the trips beyond what the busiest single department needed, as a share of all trips; the cost of "one treatment per day".
-- grain: month of the course's first trip × hospital (hospital level)
-- numerator: sum over courses of T - m (T trips of the course, m the most distinct trip dates any one department saw the patient on)
-- denominator: sum over courses of T
-- exclusions: none
-- unit: share of trips
-- direction: lower_is_better
-- kind: ratio
-- level: hospital
-- requires: none

-- metrics.md §3.7. Trips and "outside any stay" exactly as in trips_per_patient (§3.6). Per
-- patient and hospital, trip dates in order; a trip more than params.course_gap_days after the
-- previous one starts a new course. One fact per course.
WITH amb AS (
  SELECT t.treatment_id, t.patient_id, t.hospital_id, t.department_id, t.start_ts,
         CAST(t.start_ts AS DATE) AS trip_date
  FROM treatments_in_scope t
  WHERE t.setting = 'ambulatory' AND t.mode = 'in_person'
), in_stay AS (
  SELECT DISTINCT a.treatment_id
  FROM amb a
  JOIN stays s
    ON s.patient_id = a.patient_id
   AND a.start_ts >= s.admit_ts
   AND (s.discharge_ts IS NULL OR a.start_ts <= s.discharge_ts)
), kept AS (
  SELECT a.* FROM amb a ANTI JOIN in_stay i USING (treatment_id)
), trips AS (
  SELECT DISTINCT patient_id, hospital_id, trip_date FROM kept
), gaps AS (
  SELECT tr.*,
         CASE WHEN lag(trip_date) OVER w IS NULL
                OR date_diff('day', lag(trip_date) OVER w, trip_date) > p.course_gap_days
              THEN 1 ELSE 0 END AS new_course
  FROM trips tr CROSS JOIN params p
  WINDOW w AS (PARTITION BY patient_id, hospital_id ORDER BY trip_date)
), numbered AS (
  SELECT *, sum(new_course) OVER (PARTITION BY patient_id, hospital_id ORDER BY trip_date
                                  ROWS UNBOUNDED PRECEDING) AS course_no
  FROM gaps
), courses AS (
  SELECT patient_id, hospital_id, course_no,
         min(trip_date) AS first_trip, max(trip_date) AS last_trip, count(*) AS trips
  FROM numbered GROUP BY patient_id, hospital_id, course_no
), dept_days AS (
  SELECT n.patient_id, n.hospital_id, n.course_no, k.department_id, count(DISTINCT k.trip_date) AS days
  FROM kept k
  JOIN numbered n USING (patient_id, hospital_id, trip_date)
  GROUP BY n.patient_id, n.hospital_id, n.course_no, k.department_id
), busiest AS (
  SELECT patient_id, hospital_id, course_no, max(days) AS m,
         first(department_id ORDER BY days DESC, department_id) AS busiest_department_id,
         count(*) AS departments
  FROM dept_days GROUP BY patient_id, hospital_id, course_no
)
SELECT
  c.first_trip AS period_date,
  c.hospital_id,
  'ALL' AS department_id,
  CAST(NULL AS VARCHAR) AS exclusion,
  CAST(c.trips - b.m AS DOUBLE) AS num,
  CAST(c.trips AS DOUBLE) AS den,
  c.patient_id,
  c.course_no,
  c.first_trip,
  c.last_trip,
  c.trips,
  b.m AS busiest_department_days,
  b.busiest_department_id,
  b.departments
FROM courses c JOIN busiest b USING (patient_id, hospital_id, course_no)
