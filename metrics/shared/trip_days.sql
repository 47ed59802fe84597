-- shared: trip_days
-- materialize: table

-- One row per (patient, hospital, date) with an in-person ambulatory treatment: a trip when
-- n_treatments (those outside any stay) > 0; a day whose treatments all fall inside stays
-- (n_treatments = 0) would have been a trip and is listed by the trip metrics as during_stay.
-- patient_key: the patient's number (one per patient_id: ambulatory_in_scope.sql).
SELECT patient_id, any_value(patient_key) AS patient_key, hospital_id, trip_date,
       count(*) FILTER (WHERE during_stay_id IS NULL) AS n_treatments,
       count(*) FILTER (WHERE during_stay_id IS NOT NULL) AS n_during_stay
FROM ambulatory_placed
GROUP BY patient_id, hospital_id, trip_date
