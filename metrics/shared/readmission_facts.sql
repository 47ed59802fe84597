-- shared: readmission_facts
-- materialize: view

-- The facts of readmission_30d and readmission_7d, one row per index stay and window
-- (window_days): the two metrics differ only by the window they pick. readmission_hospital
-- compares the readmitting stay's admitting hospital with the index stay's discharging one;
-- the next stay is listed for audit whether or not it was a readmission.
SELECT
  i.window_days,
  i.discharge_date AS period_date,
  i.discharge_hospital_id AS hospital_id,
  i.discharge_department_id AS department_id,
  i.exclusion,
  CAST(CASE WHEN i.readmitted THEN 1 ELSE 0 END AS DOUBLE) AS num,
  CAST(NULL AS DOUBLE) AS den,
  i.patient_id,
  i.stay_id,
  i.admit_ts,
  i.discharge_ts,
  i.discharge_disposition,
  i.readmitted,
  CASE WHEN i.readmitted THEN i.next_stay_id END AS readmission_stay_id,
  CASE WHEN i.readmitted THEN i.days_to_next_stay END AS days_to_readmission,
  CASE WHEN i.readmitted THEN CASE WHEN i.next_hospital_id = i.discharge_hospital_id THEN 'same' ELSE 'other' END END
    AS readmission_hospital,
  i.next_stay_id,
  i.next_admission_type,
  i.days_to_next_stay
FROM index_stays i
