-- shared: ambulatory_placed
-- materialize: table

-- Every in-person ambulatory treatment in scope, with the stay of the same patient it falls in
-- (during_stay_id, NULL outside any stay): the one place the trip metrics (docs/reference/metrics.md#trips,
-- §3.7) decide "inside a stay". A treatment is part of a stay when its start_ts lies in
-- [admit_ts, discharge_ts] of any stay of the patient (any hospital), or at or after the
-- admit_ts of an open stay.
-- A patient's stays never overlap (stays.sql starts a new stay only after the running maximum
-- discharge), so the one stay that can hold a treatment is the last one admitted at or before
-- it: an ASOF join finds it without a range join. A table, because the join over every
-- treatment is the costly step and three metrics read it. patient_key: the patient's number
-- (ambulatory_in_scope.sql), on which the trip metrics group and order.
WITH amb AS (
  SELECT t.treatment_id, t.patient_id, t.patient_key, t.hospital_id, t.department_id, t.start_ts,
         CAST(t.start_ts AS DATE) AS trip_date
  FROM ambulatory_in_scope t
  WHERE t.mode = 'in_person'
)
SELECT a.*,
       CASE WHEN s.discharge_ts IS NULL OR a.start_ts <= s.discharge_ts THEN s.stay_id END AS during_stay_id
FROM amb a
ASOF LEFT JOIN stays s ON s.patient_id = a.patient_id AND a.start_ts >= s.admit_ts
