-- Shared by every adapter: the mapped contacts (adp_map_contacts) and the other
-- skipped or rejected source records (adp_map_rejects) into the raw staging
-- tables and `rejects`. `target` is admission, emergency, ambulatory or virtual
-- for a contact that becomes a row, NULL for one that is skipped or rejected.
INSERT INTO raw_admissions (admission_id, patient_id, hospital_id, department_id, admit_ts, discharge_ts,
                            admission_type, discharge_disposition, _source_file, _line)
SELECT contact_id, patient_id, hospital_id, department_id, start_text, end_text,
       admission_type, discharge_disposition, _source_file, _line
FROM adp_map_contacts
WHERE target = 'admission'
ORDER BY _source_file, _line;

INSERT INTO raw_treatments (treatment_id, patient_id, hospital_id, department_id, start_ts, end_ts,
                            setting, mode, procedure_code, _source_file, _line)
SELECT contact_id, patient_id, hospital_id, department_id, start_text, end_text,
       CASE WHEN target = 'emergency' THEN 'emergency' ELSE 'ambulatory' END,
       CASE WHEN target = 'virtual' THEN 'virtual' ELSE 'in_person' END,
       procedure_code, _source_file, _line
FROM adp_map_contacts
WHERE target IN ('emergency', 'ambulatory', 'virtual')
ORDER BY _source_file, _line;

INSERT INTO rejects (table_name, source_file, line, rule, column_name, raw_value, kind)
SELECT reject_table, _source_file, _line, reject_rule, reject_column, reject_value, reject_kind
FROM adp_map_contacts
WHERE reject_kind IS NOT NULL
ORDER BY _source_file, _line;

INSERT INTO rejects (table_name, source_file, line, rule, column_name, raw_value, kind)
SELECT table_name, source_file, line, rule, column_name, raw_value, kind
FROM adp_map_rejects
ORDER BY source_file, line;
