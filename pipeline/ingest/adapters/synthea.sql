-- Synthea CSV → adp_map_* (docs/reference/contract.md#formats `synthea`; readings in docs/adapters.md).
-- Reads the staged tables adp_syn_patients, adp_syn_encounters, adp_syn_providers,
-- adp_syn_procedures (empty when the file is absent), adp_syn_flags and
-- adp_code_maps (synthea.codes.json).

CREATE OR REPLACE TEMP TABLE adp_syn_maps AS
SELECT (SELECT m FROM adp_code_maps WHERE list = 'encounter_class') AS class_m,
       (SELECT m FROM adp_code_maps WHERE list = 'gender') AS gender_m;

CREATE OR REPLACE TEMP TABLE adp_map_patients AS
SELECT p.id AS patient_id,
       adp_birth_year(p.birthdate) AS birth_year,
       coalesce(m.gender_m[p.gender], 'U') AS sex,
       adp_death_date(p.deathdate) AS death_date,
       adp_wall_date(p.deathdate) AS death_day,
       p._source_file, p._line
FROM adp_syn_patients p CROSS JOIN adp_syn_maps m;

CREATE OR REPLACE TEMP TABLE adp_syn_enc AS
WITH e0 AS (
  SELECT e._source_file, e._line, e.id AS contact_id, e.patient AS patient_id, e.organization AS hospital_id,
         e.encounterclass AS class, e.code, e.provider,
         e.start AS start_text, e.stop AS end_text,
         m.class_m[e.encounterclass] AS kind,
         adp_wall_clock(e.start) AS start_ts, adp_wall_clock(e.stop) AS end_ts
  FROM adp_syn_encounters e CROSS JOIN adp_syn_maps m
),
-- No Synthea class maps to observation: the rule reaches its emergency encounters only.
e2 AS (SELECT e0.*, adp_by_12h(kind, start_ts, end_ts) AS by_12h, adp_target(kind, by_12h) AS mapped FROM e0),
provider AS (
  SELECT id, first(speciality ORDER BY _source_file, _line) AS speciality FROM adp_syn_providers WHERE id IS NOT NULL GROUP BY id
),
known AS (
  SELECT patient_id, min(death_day) AS death_day FROM adp_map_patients WHERE patient_id IS NOT NULL GROUP BY patient_id
)
SELECT e2.*,
       CASE WHEN (SELECT has_providers FROM adp_syn_flags) THEN coalesce(pr.speciality, 'UNKNOWN') ELSE e2.code END AS department_id,
       -- died when the death date falls between the dates of START and STOP, inclusive
       CASE WHEN known.death_day BETWEEN CAST(e2.start_ts AS DATE) AND CAST(e2.end_ts AS DATE) THEN 'died' ELSE 'unknown' END AS disposition,
       CASE WHEN mapped IS NULL THEN 'class_not_mapped'
            WHEN start_text IS NULL THEN 'missing_start'
            WHEN e2.patient_id IS NOT NULL AND known.patient_id IS NULL THEN 'patient_not_in_export' END AS reason
FROM e2
LEFT JOIN provider pr ON pr.id = e2.provider
LEFT JOIN known ON known.patient_id = e2.patient_id;

-- Acute: an emergency encounter of the same patient starts at or before the
-- admission's START and ends no earlier than 4 hours before it.
CREATE OR REPLACE TEMP TABLE adp_syn_acute AS
SELECT DISTINCT a._source_file, a._line
FROM adp_syn_enc a
JOIN adp_syn_enc e
  ON e.patient_id = a.patient_id AND e.kind = 'emergency'
 AND e.start_ts <= a.start_ts AND e.end_ts >= a.start_ts - INTERVAL 4 HOUR
WHERE a.mapped = 'admission' AND a.reason IS NULL;

CREATE OR REPLACE TEMP TABLE adp_syn_proc AS
WITH p0 AS (
  SELECT p._source_file, p._line, p.encounter AS encounter_id, p.code,
         coalesce(p.start, p.date) AS start_text, adp_wall_clock(coalesce(p.start, p.date)) AS start_ts
  FROM adp_syn_procedures p
),
enc AS (
  SELECT contact_id, bool_or(reason IS NULL AND mapped IN ('emergency', 'ambulatory', 'virtual')) AS is_treatment
  FROM adp_syn_enc WHERE contact_id IS NOT NULL GROUP BY contact_id
),
p1 AS (
  SELECT p0.*,
         CASE WHEN p0.encounter_id IS NULL THEN 'procedure:without_encounter'
              WHEN enc.contact_id IS NULL THEN 'procedure:encounter_not_in_export'
              WHEN NOT enc.is_treatment THEN 'procedure:not_for_treatment' END AS early
  FROM p0 LEFT JOIN enc ON enc.contact_id = p0.encounter_id
)
SELECT p1.*,
       coalesce(early, CASE WHEN row_number() OVER (PARTITION BY encounter_id, early IS NULL
                                                    ORDER BY start_ts NULLS LAST, code NULLS LAST, _source_file, _line) = 1
                            THEN 'procedure:code_used' ELSE 'procedure:not_first' END) AS outcome
FROM p1;

INSERT INTO adp_map_counts
SELECT outcome, count(*) FROM adp_syn_proc GROUP BY outcome;

INSERT INTO adp_map_rejects (table_name, source_file, line, rule, column_name, raw_value, kind)
SELECT 'procedures', _source_file, _line, replace(outcome, 'procedure:', ''), 'ENCOUNTER', encounter_id, 'skip'
FROM adp_syn_proc
WHERE outcome IN ('procedure:without_encounter', 'procedure:encounter_not_in_export');

INSERT INTO adp_map_counts
SELECT 'encounter_department:provider_not_found', count(*)
FROM adp_syn_enc e
WHERE (SELECT has_providers FROM adp_syn_flags) AND e.reason IS NULL
  AND (e.provider IS NULL OR e.provider NOT IN (SELECT id FROM adp_syn_providers WHERE id IS NOT NULL))
HAVING count(*) > 0;

CREATE OR REPLACE TEMP TABLE adp_map_contacts AS
SELECT e._source_file, e._line, e.contact_id, e.patient_id, e.hospital_id, e.department_id, e.start_text, e.end_text,
       CASE WHEN e.reason IS NULL THEN e.mapped END AS target,
       CASE WHEN e.by_12h OR ac._line IS NOT NULL THEN 'acute' ELSE 'unknown' END AS admission_type,
       e.disposition AS discharge_disposition,
       CASE WHEN e.reason IS NULL AND e.mapped <> 'admission' THEN fp.code END AS procedure_code,
       CASE WHEN e.reason IS NULL THEN 'encounter:' || CASE WHEN e.by_12h THEN 'admission_12h' ELSE e.mapped END
            WHEN e.reason = 'class_not_mapped' THEN 'encounter:skipped:' || coalesce(e.class, '(none)')
            ELSE 'encounter:rejected:' || e.reason END AS outcome,
       CASE WHEN e.reason = 'class_not_mapped' THEN 'skip' WHEN e.reason IS NOT NULL THEN 'reject' END AS reject_kind,
       CASE WHEN e.reason = 'class_not_mapped' THEN 'encounters' WHEN e.mapped = 'admission' THEN 'admissions' ELSE 'treatments' END AS reject_table,
       e.reason AS reject_rule,
       CASE e.reason WHEN 'class_not_mapped' THEN 'ENCOUNTERCLASS' WHEN 'missing_start' THEN 'START'
                     WHEN 'patient_not_in_export' THEN 'PATIENT' END AS reject_column,
       CASE e.reason WHEN 'class_not_mapped' THEN e.class WHEN 'patient_not_in_export' THEN e.patient_id END AS reject_value
FROM adp_syn_enc e
LEFT JOIN adp_syn_acute ac ON ac._source_file = e._source_file AND ac._line = e._line
LEFT JOIN (SELECT encounter_id, any_value(code) AS code FROM adp_syn_proc WHERE outcome = 'procedure:code_used' GROUP BY encounter_id) fp
  ON fp.encounter_id = e.contact_id;
