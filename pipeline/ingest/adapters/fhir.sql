-- FHIR R4 Bulk Data → adp_map_* (docs/reference/contract.md#formats `fhir`; readings in docs/adapters.md).
-- Reads adp_fhir_src (one row per NDJSON line of the Patient, Encounter and
-- Procedure files, top-level fields as JSON) and adp_code_maps (fhir.codes.json).

-- A reference is the text after the last `|` when it has one (a conditional
-- reference `Organization?identifier=<system>|<id>`), else after the last `/`,
-- `:` or `=` (`Patient/<id>`, `urn:uuid:<id>`, `.../Patient/<id>/_history/2`).
CREATE OR REPLACE TEMP MACRO adp_fhir_ref(r) AS CASE
  WHEN r IS NULL OR trim(r) = '' THEN NULL
  WHEN contains(r, '|') THEN nullif(regexp_extract(trim(r), '\|([^|]*)$', 1), '')
  ELSE nullif(regexp_extract(regexp_replace(trim(r), '/_history/[^/]*$', ''), '([^/:=]*)$', 1), '')
END;

CREATE OR REPLACE TEMP TABLE adp_fhir_maps AS
SELECT (SELECT m FROM adp_code_maps WHERE list = 'class') AS class_m,
       (SELECT m FROM adp_code_maps WHERE list = 'priority') AS priority_m,
       (SELECT m FROM adp_code_maps WHERE list = 'discharge_disposition') AS disp_m,
       (SELECT m FROM adp_code_maps WHERE list = 'gender') AS gender_m;

CREATE OR REPLACE TEMP TABLE adp_map_patients AS
SELECT p.id AS patient_id,
       adp_birth_year(p.birth_date) AS birth_year,
       coalesce(m.gender_m[p.gender], 'U') AS sex,
       adp_death_date(p.deceased) AS death_date,
       p._source_file, p._line
FROM (
  SELECT id, _source_file, _line,
         json_extract_string(gender, '$') AS gender,
         nullif(trim(json_extract_string(birthDate, '$')), '') AS birth_date,
         nullif(trim(json_extract_string(deceasedDateTime, '$')), '') AS deceased
  FROM adp_fhir_src WHERE resourceType = 'Patient'
) p CROSS JOIN adp_fhir_maps m;

CREATE OR REPLACE TEMP TABLE adp_fhir_enc AS
WITH e0 AS (
  SELECT s._source_file, s._line, s.id AS contact_id,
         json_extract_string(s.status, '$') AS status,
         -- R4 class is a Coding; R5 an array of CodeableConcepts; a CodeableConcept is read too.
         list_filter(list_concat(
             CASE WHEN json_type(s.class) = 'OBJECT' THEN [json_extract_string(s.class, '$.code')] ELSE [] END,
             coalesce(json_extract_string(s.class, '$.coding[*].code'), []),
             coalesce(json_extract_string(s.class, '$[*].coding[*].code'), []),
             coalesce(json_extract_string(s.class, '$[*].code'), [])),
           x -> coalesce(x, '') <> '') AS class_codes,
         json_extract_string(s.subject, '$.reference') AS subject_ref,
         adp_fhir_ref(json_extract_string(s.subject, '$.reference')) AS patient_id,
         coalesce(adp_fhir_ref(json_extract_string(s.serviceProvider, '$.reference')),
                  nullif(trim(json_extract_string(s.serviceProvider, '$.identifier.value')), '')) AS hospital_id,
         coalesce(nullif(json_extract_string(s.serviceType, '$.coding[0].code'), ''),
                  nullif(json_extract_string(s.serviceType, '$[0].concept.coding[0].code'), ''),
                  nullif(json_extract_string(s.type, '$[0].coding[0].code'), '')) AS department_id,
         nullif(trim(coalesce(json_extract_string(s.period, '$.start'), json_extract_string(s.actualPeriod, '$.start'))), '') AS start_text,
         nullif(trim(coalesce(json_extract_string(s.period, '$.end'), json_extract_string(s.actualPeriod, '$.end'))), '') AS end_text,
         CAST(coalesce(s.period, s.actualPeriod) AS VARCHAR) AS period_raw,
         coalesce(json_extract_string(s.priority, '$.coding[*].code'), []) AS priority_codes,
         list_transform(
           list_filter(coalesce(json_extract_string(coalesce(s.hospitalization, s.admission), '$.dischargeDisposition.coding[*].code'), []),
                       x -> coalesce(trim(x), '') <> ''),
           x -> CASE WHEN regexp_matches(trim(x), '^\d$') THEN '0' || trim(x) ELSE trim(x) END) AS disp_codes
  FROM adp_fhir_src s WHERE s.resourceType = 'Encounter'
),
e1 AS (
  SELECT e0.*,
         m.class_m[list_filter(class_codes, x -> m.class_m[x] IS NOT NULL)[1]] AS class_kind,
         m.priority_m[list_filter(priority_codes, x -> m.priority_m[x] IS NOT NULL)[1]] AS priority_type,
         CASE WHEN len(disp_codes) = 0 THEN 'unknown'
              ELSE coalesce(m.disp_m[list_filter(disp_codes, x -> m.disp_m[x] IS NOT NULL)[1]], 'other') END AS disposition,
         adp_wall_clock(start_text) AS start_ts,
         adp_wall_clock(end_text) AS end_ts
  FROM e0 CROSS JOIN adp_fhir_maps m
),
e2 AS (SELECT e1.*, adp_by_12h(class_kind, start_ts, end_ts) AS by_12h, adp_target(class_kind, by_12h) AS mapped FROM e1),
known AS (SELECT DISTINCT patient_id FROM adp_map_patients WHERE patient_id IS NOT NULL)
SELECT e2.*,
       CASE WHEN mapped IS NULL THEN 'class_not_mapped'
            WHEN start_text IS NULL THEN 'missing_period_start'
            WHEN e2.patient_id IS NOT NULL AND known.patient_id IS NULL
                 AND EXISTS (SELECT 1 FROM adp_map_patients) THEN 'patient_not_in_export' END AS reason
FROM e2 LEFT JOIN known ON known.patient_id = e2.patient_id;

CREATE OR REPLACE TEMP TABLE adp_fhir_proc AS
WITH p0 AS (
  SELECT s._source_file, s._line, s.id AS proc_id,
         json_extract_string(s.status, '$') AS status,
         json_extract_string(s.code, '$.coding[0].code') AS code,
         coalesce(json_extract_string(s.encounter, '$.reference'), json_extract_string(s.context, '$.reference')) AS encounter_ref,
         adp_wall_clock(coalesce(json_extract_string(s.performedDateTime, '$'), json_extract_string(s.performedPeriod, '$.start'),
                                 json_extract_string(s.occurrenceDateTime, '$'), json_extract_string(s.occurrencePeriod, '$.start'))) AS performed_ts
  FROM adp_fhir_src s WHERE s.resourceType = 'Procedure'
),
enc AS (
  SELECT contact_id, bool_or(reason IS NULL AND mapped IN ('emergency', 'ambulatory', 'virtual')) AS is_treatment
  FROM adp_fhir_enc WHERE contact_id IS NOT NULL GROUP BY contact_id
),
p1 AS (
  SELECT p0.*, adp_fhir_ref(p0.encounter_ref) AS encounter_id, enc.contact_id IS NOT NULL AS encounter_found,
         coalesce(enc.is_treatment, false) AS is_treatment
  FROM p0 LEFT JOIN enc ON enc.contact_id = adp_fhir_ref(p0.encounter_ref)
),
p2 AS (
  SELECT p1.*,
         CASE WHEN encounter_id IS NULL THEN 'procedure:without_encounter'
              WHEN NOT encounter_found THEN 'procedure:encounter_not_in_export'
              WHEN coalesce(status, '') <> 'completed' THEN 'procedure:not_completed'
              WHEN NOT is_treatment THEN 'procedure:not_for_treatment' END AS early
  FROM p1
)
SELECT p2.*,
       coalesce(early, CASE WHEN row_number() OVER (PARTITION BY encounter_id, early IS NULL
                                                    ORDER BY performed_ts NULLS LAST, proc_id NULLS LAST, _source_file, _line) = 1
                            THEN 'procedure:code_used' ELSE 'procedure:not_first' END) AS outcome
FROM p2;

INSERT INTO adp_map_counts
SELECT outcome, count(*) FROM adp_fhir_proc GROUP BY outcome;

INSERT INTO adp_map_counts
SELECT 'encounter_status:' || coalesce(status, '(none)'), count(*) FROM adp_fhir_enc GROUP BY status;

INSERT INTO adp_map_rejects (table_name, source_file, line, rule, column_name, raw_value, kind)
SELECT 'Procedure', _source_file, _line, replace(outcome, 'procedure:', ''), 'encounter', encounter_ref, 'skip'
FROM adp_fhir_proc
WHERE outcome IN ('procedure:without_encounter', 'procedure:encounter_not_in_export');

CREATE OR REPLACE TEMP TABLE adp_map_contacts AS
SELECT e._source_file, e._line, e.contact_id, e.patient_id, e.hospital_id, e.department_id, e.start_text, e.end_text,
       CASE WHEN e.reason IS NULL THEN e.mapped END AS target,
       CASE WHEN e.by_12h THEN 'acute' ELSE coalesce(e.priority_type, 'unknown') END AS admission_type,
       e.disposition AS discharge_disposition,
       CASE WHEN e.reason IS NULL AND e.mapped <> 'admission' THEN fp.code END AS procedure_code,
       CASE WHEN e.reason IS NULL THEN 'encounter:' || CASE WHEN e.by_12h THEN 'admission_12h' ELSE e.mapped END
            WHEN e.reason = 'class_not_mapped' THEN 'encounter:skipped:' || coalesce(e.class_codes[1], '(none)')
            ELSE 'encounter:rejected:' || e.reason END AS outcome,
       CASE WHEN e.reason = 'class_not_mapped' THEN 'skip' WHEN e.reason IS NOT NULL THEN 'reject' END AS reject_kind,
       CASE WHEN e.reason = 'class_not_mapped' THEN 'Encounter' WHEN e.mapped = 'admission' THEN 'admissions' ELSE 'treatments' END AS reject_table,
       e.reason AS reject_rule,
       CASE e.reason WHEN 'class_not_mapped' THEN 'class' WHEN 'missing_period_start' THEN 'period.start'
                     WHEN 'patient_not_in_export' THEN 'subject' END AS reject_column,
       CASE e.reason WHEN 'class_not_mapped' THEN nullif(array_to_string(e.class_codes, ','), '')
                     WHEN 'missing_period_start' THEN e.period_raw
                     WHEN 'patient_not_in_export' THEN e.subject_ref END AS reject_value
FROM adp_fhir_enc e
LEFT JOIN (SELECT encounter_id, any_value(code) AS code FROM adp_fhir_proc WHERE outcome = 'procedure:code_used' GROUP BY encounter_id) fp
  ON fp.encounter_id = e.contact_id;
