-- OMOP CDM 5.3/5.4 → adp_map_* (docs/reference/contract.md#formats `omop`; readings in docs/adapters.md).
-- Reads the staged tables adp_omop_person, adp_omop_visit, adp_omop_death,
-- adp_omop_care_site (empty when the file is absent), adp_omop_flags and
-- adp_code_maps / adp_codes (omop.codes.json).

-- Ids and concept ids as integer text: a float written by a data frame (9201.0) is the integer.
CREATE OR REPLACE TEMP MACRO adp_omop_id(x) AS CASE
  WHEN regexp_matches(trim(x), '^-?\d+\.0*$') THEN regexp_replace(trim(x), '\.0*$', '')
  ELSE nullif(trim(x), '')
END;

CREATE OR REPLACE TEMP TABLE adp_omop_maps AS
SELECT (SELECT m FROM adp_code_maps WHERE list = 'visit_concept') AS visit_m,
       (SELECT m FROM adp_code_maps WHERE list = 'acute_visit_concept') AS acute_m,
       (SELECT m FROM adp_code_maps WHERE list = 'emergency_admitted_from') AS er_from_m,
       (SELECT string_agg('(' || code || ')', '|' ORDER BY code) FROM adp_codes WHERE list = 'emergency_source_pattern') AS er_source_re,
       (SELECT m FROM adp_code_maps WHERE list = 'discharged_to') AS discharged_m,
       (SELECT m FROM adp_code_maps WHERE list = 'gender') AS gender_m;

CREATE OR REPLACE TEMP TABLE adp_omop_deaths AS
SELECT *, row_number() OVER (PARTITION BY person_id ORDER BY death_day NULLS LAST, _source_file, _line) AS rn,
       person_id IN (SELECT adp_omop_id(person_id) FROM adp_omop_person) AS person_found
FROM (
  SELECT adp_omop_id(person_id) AS person_id, _source_file, _line,
         coalesce(adp_wall_date(death_date), adp_wall_date(death_datetime)) AS death_day,
         coalesce(death_date, death_datetime) AS death_raw
  FROM adp_omop_death
);

CREATE OR REPLACE TEMP TABLE adp_map_patients AS
SELECT adp_omop_id(p.person_id) AS patient_id,
       coalesce(adp_omop_id(p.year_of_birth), CASE WHEN regexp_matches(p.birth_datetime, '^\d{4}') THEN substr(p.birth_datetime, 1, 4) END) AS birth_year,
       coalesce(m.gender_m[adp_omop_id(p.gender_concept_id)], 'U') AS sex,
       coalesce(strftime(d.death_day, '%Y-%m-%d'), d.death_raw) AS death_date,
       p._source_file, p._line
FROM adp_omop_person p
CROSS JOIN adp_omop_maps m
LEFT JOIN adp_omop_deaths d ON d.person_id = adp_omop_id(p.person_id) AND d.rn = 1;

INSERT INTO adp_map_counts
SELECT CASE WHEN NOT (SELECT has_person FROM adp_omop_flags) THEN 'death:ignored_without_person'
            WHEN NOT person_found THEN 'death:person_not_in_export'
            WHEN rn > 1 THEN 'death:later_duplicate'
            ELSE 'death:used' END, count(*)
FROM adp_omop_deaths GROUP BY 1;

INSERT INTO adp_map_rejects (table_name, source_file, line, rule, column_name, raw_value, kind)
SELECT 'death', _source_file, _line, 'patient_not_in_export', 'person_id', person_id, 'skip'
FROM adp_omop_deaths WHERE (SELECT has_person FROM adp_omop_flags) AND NOT person_found;

CREATE OR REPLACE TEMP TABLE adp_omop_sites AS
SELECT care_site_id, location_id FROM (
  SELECT adp_omop_id(care_site_id) AS care_site_id, adp_omop_id(location_id) AS location_id,
         row_number() OVER (PARTITION BY adp_omop_id(care_site_id) ORDER BY _source_file, _line) AS rn
  FROM adp_omop_care_site
) WHERE rn = 1 AND care_site_id IS NOT NULL;

CREATE OR REPLACE TEMP TABLE adp_omop_vis AS
WITH v0 AS (
  SELECT _source_file, _line,
         adp_omop_id(visit_occurrence_id) AS contact_id,
         adp_omop_id(person_id) AS patient_id,
         adp_omop_id(visit_concept_id) AS concept,
         start_text, end_text,
         adp_omop_id(care_site_id) AS care_site_id,
         adp_omop_id(admitted_from_concept_id) AS from_concept,
         admitted_from_source_value AS from_source,
         adp_omop_id(discharged_to_concept_id) AS to_concept
  FROM adp_omop_visit
),
v1 AS (
  SELECT v0.*, m.visit_m[concept] AS kind,
         m.acute_m[concept] IS NOT NULL AS acute_concept,
         (m.er_from_m[from_concept] IS NOT NULL OR coalesce(regexp_matches(lower(from_source), m.er_source_re), false)) AS from_er,
         CASE WHEN to_concept IS NULL OR to_concept = '0' THEN 'unknown' ELSE coalesce(m.discharged_m[to_concept], 'other') END AS disposition,
         adp_wall_clock(start_text) AS start_ts, adp_wall_clock(end_text) AS end_ts
  FROM v0 CROSS JOIN adp_omop_maps m
),
v2 AS (SELECT v1.*, adp_by_12h(kind, start_ts, end_ts) AS by_12h, adp_target(kind, by_12h) AS mapped FROM v1),
known AS (SELECT DISTINCT patient_id FROM adp_map_patients WHERE patient_id IS NOT NULL)
SELECT v2.*,
       CASE WHEN (SELECT has_care_site FROM adp_omop_flags) THEN coalesce(s.location_id, 'UNKNOWN') ELSE 'UNKNOWN' END AS hospital_id,
       CASE WHEN mapped IS NULL THEN 'concept_not_mapped'
            WHEN start_text IS NULL THEN 'missing_visit_start'
            WHEN v2.patient_id IS NOT NULL AND known.patient_id IS NULL
                 AND EXISTS (SELECT 1 FROM adp_map_patients) THEN 'patient_not_in_export' END AS reason
FROM v2
LEFT JOIN known ON known.patient_id = v2.patient_id
LEFT JOIN adp_omop_sites s ON s.care_site_id = v2.care_site_id;

CREATE OR REPLACE TEMP TABLE adp_map_contacts AS
SELECT _source_file, _line, contact_id, patient_id, hospital_id, coalesce(care_site_id, 'UNKNOWN') AS department_id,
       start_text, end_text,
       CASE WHEN reason IS NULL THEN mapped END AS target,
       CASE WHEN acute_concept OR by_12h OR from_er THEN 'acute' ELSE 'unknown' END AS admission_type,
       disposition AS discharge_disposition,
       CAST(NULL AS VARCHAR) AS procedure_code,
       CASE WHEN reason IS NULL THEN 'visit:' || CASE WHEN by_12h THEN 'admission_12h' ELSE mapped END
            WHEN reason = 'concept_not_mapped' THEN 'visit:skipped:' || coalesce(concept, '(none)')
            ELSE 'visit:rejected:' || reason END AS outcome,
       CASE WHEN reason = 'concept_not_mapped' THEN 'skip' WHEN reason IS NOT NULL THEN 'reject' END AS reject_kind,
       CASE WHEN reason = 'concept_not_mapped' THEN 'visit_occurrence' WHEN mapped = 'admission' THEN 'admissions' ELSE 'treatments' END AS reject_table,
       reason AS reject_rule,
       CASE reason WHEN 'concept_not_mapped' THEN 'visit_concept_id' WHEN 'missing_visit_start' THEN 'visit_start_date'
                   WHEN 'patient_not_in_export' THEN 'person_id' END AS reject_column,
       CASE reason WHEN 'concept_not_mapped' THEN concept WHEN 'patient_not_in_export' THEN patient_id END AS reject_value
FROM adp_omop_vis;

INSERT INTO adp_map_counts
SELECT 'visit_hospital:unknown', count(*) FROM adp_omop_vis WHERE reason IS NULL AND hospital_id = 'UNKNOWN' HAVING count(*) > 0;
