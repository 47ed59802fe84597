-- Stays (docs/reference/metrics.md#stays): inpatient contacts joined into one stay when a contact is
-- admitted at most stay_gap_hours after the latest discharge seen so far in the stay
-- (a running maximum, so A→B→C chains merge transitively). An open contact extends
-- the stay to the cutoff and makes it open. Transfers are therefore never readmissions.

CREATE OR REPLACE VIEW admissions_in_scope AS
SELECT a.* REPLACE (CASE WHEN a.discharge_ts > p.cutoff THEN NULL ELSE a.discharge_ts END AS discharge_ts)
FROM admissions a CROSS JOIN params p
WHERE a.admit_ts <= p.cutoff;

CREATE OR REPLACE VIEW treatments_in_scope AS
SELECT t.* FROM treatments t CROSS JOIN params p
WHERE t.start_ts <= p.cutoff;

CREATE OR REPLACE TABLE contact_stay AS
WITH ordered AS (
  SELECT
    a.admission_id, a.patient_id, a.admit_ts, a.discharge_ts,
    -- Latest discharge among the patient's earlier contacts (all in the current stay or
    -- ended more than the gap before it), and whether any earlier contact is still open.
    max(a.discharge_ts) OVER w AS prev_max_discharge,
    bool_or(a.discharge_ts IS NULL) OVER w AS prev_open,
    count(*) OVER w AS n_prev,
    p.stay_gap_hours
  FROM admissions_in_scope a CROSS JOIN params p
  WINDOW w AS (PARTITION BY a.patient_id ORDER BY a.admit_ts, a.discharge_ts NULLS LAST, a.admission_id
               ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
), flagged AS (
  SELECT *,
    CASE
      WHEN n_prev = 0 THEN 1
      WHEN prev_open THEN 0
      WHEN admit_ts <= prev_max_discharge + to_microseconds(CAST(round(stay_gap_hours * 3600000000) AS BIGINT)) THEN 0
      ELSE 1
    END AS new_stay
  FROM ordered
), grouped AS (
  SELECT *,
    sum(new_stay) OVER (PARTITION BY patient_id ORDER BY admit_ts, discharge_ts NULLS LAST, admission_id
                        ROWS UNBOUNDED PRECEDING) AS grp
  FROM flagged
)
SELECT
  admission_id,
  first_value(admission_id) OVER (PARTITION BY patient_id, grp ORDER BY admit_ts, discharge_ts NULLS LAST, admission_id) AS stay_id
FROM grouped;

CREATE OR REPLACE TABLE stays AS
WITH c AS (
  SELECT a.*, cs.stay_id
  FROM admissions_in_scope a JOIN contact_stay cs USING (admission_id)
), agg AS (
  SELECT
    stay_id,
    any_value(patient_id) AS patient_id,
    min(admit_ts) AS admit_ts,
    bool_or(discharge_ts IS NULL) AS is_open,
    max(discharge_ts) AS max_discharge,
    count(*) AS n_contacts
  FROM c GROUP BY stay_id
), firsts AS (
  SELECT stay_id, admission_type, hospital_id AS admit_hospital_id, department_id AS admit_department_id
  FROM c
  QUALIFY row_number() OVER (PARTITION BY stay_id ORDER BY admit_ts, discharge_ts NULLS LAST, admission_id) = 1
), lasts AS (
  -- last contact: latest discharge (an open contact counts as latest), ties by largest admission_id
  SELECT stay_id, discharge_disposition AS last_disposition,
         hospital_id AS discharge_hospital_id, department_id AS discharge_department_id
  FROM c
  QUALIFY row_number() OVER (PARTITION BY stay_id ORDER BY discharge_ts DESC NULLS FIRST, admission_id DESC) = 1
)
SELECT
  agg.stay_id,
  agg.patient_id,
  agg.admit_ts,
  CASE WHEN agg.is_open THEN NULL ELSE agg.max_discharge END AS discharge_ts,
  agg.is_open,
  CASE WHEN agg.is_open THEN p.cutoff ELSE agg.max_discharge END AS end_ts,
  f.admission_type,
  CASE WHEN agg.is_open THEN NULL ELSE l.last_disposition END AS discharge_disposition,
  f.admit_hospital_id,
  f.admit_department_id,
  l.discharge_hospital_id,
  l.discharge_department_id,
  (NOT agg.is_open AND l.last_disposition = 'died')
    OR coalesce(pt.death_date <= CAST(CASE WHEN agg.is_open THEN p.cutoff ELSE agg.max_discharge END AS DATE), false)
    AS died_in_stay,
  CASE WHEN agg.is_open THEN NULL
       ELSE greatest(1, date_diff('day', CAST(agg.admit_ts AS DATE), CAST(agg.max_discharge AS DATE))) END AS los_days,
  CASE WHEN agg.is_open THEN NULL
       ELSE date_diff('day', CAST(agg.admit_ts AS DATE), CAST(agg.max_discharge AS DATE)) END AS los_nights,
  CASE WHEN agg.is_open THEN NULL
       ELSE (epoch_us(agg.max_discharge) - epoch_us(agg.admit_ts)) / 3600000000.0 END AS los_hours,
  agg.n_contacts,
  row_number() OVER (PARTITION BY agg.patient_id ORDER BY agg.admit_ts, agg.stay_id) AS stay_seq
FROM agg
JOIN firsts f USING (stay_id)
JOIN lasts l USING (stay_id)
CROSS JOIN params p
LEFT JOIN patients_or_empty pt ON pt.patient_id = agg.patient_id;
