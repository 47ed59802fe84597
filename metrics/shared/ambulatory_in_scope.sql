-- shared: ambulatory_in_scope
-- materialize: view

-- Every ambulatory treatment in scope (in person and virtual) with its patient's number:
-- `patient_key` (INTEGER) from `patient_keys`, the run's numbering of every patient
-- (docs/metrics.md, "The patient's number"). The metrics that group or order a patient's
-- treatments (the ambulatory visits and the trip metrics) do it on the number, which costs
-- less than on the patient_id text; their facts still name the patient by patient_id. A
-- treatment whose patient has no number stops the run: the join drops no treatment.
-- (No other block, and no input table but the one read, is named here: a comment that names
-- one widens what its readers build and, on a night, whom they recompute.)
SELECT t.*,
       CASE WHEN k.patient_key IS NULL
            THEN error('patient ' || t.patient_id || ' has no number in patient_keys')
            ELSE k.patient_key END AS patient_key
FROM treatments_in_scope t
LEFT JOIN patient_keys k ON k.patient_id = t.patient_id
WHERE t.setting = 'ambulatory'
