-- metric_id: bed_days
-- version: 1
-- view: activity
-- title: Bed days
-- title_da: Sengedage
-- definition: Occupied nights: a contact occupies the night of date d when the midnight ending d lies in
--   (admit, discharge], open contacts up to the cutoff. A patient's night counts once even when contacts
--   overlap, for the overlapping contact with the latest admission (ties: largest admission_id).
-- definition_da: Belagte nætter: en kontakt belægger natten efter dato d, når midnat ved udgangen af d ligger i (indlæggelse, udskrivelse]; kontakter, der stadig er i gang, tæller frem til dataskæringen. En patients nat tæller én gang, også når kontakter overlapper, og da for den overlappende kontakt med den seneste indlæggelse (ved lighed: største admission_id).
-- grain: night date × that contact's hospital × its department
-- grain_da: nattens dato × kontaktens hospital × kontaktens afdeling
-- numerator: occupied nights in the period
-- numerator_da: belagte nætter i perioden
-- denominator: none (a count)
-- denominator_da: ingen (et antal)
-- exclusions: none
-- unit: nights
-- unit_da: nætter
-- direction: neutral
-- kind: count
-- level: department
-- requires: none
-- order: 30
-- docs: metrics/activity.md
-- charts: none

-- Nights of contact c are the dates date(admit) .. date(end) - 1: the midnight ending
-- date(admit) is always after admit, and the midnight ending date(end) - 1 is date(end)
-- 00:00, which is at or before end. An admission at exactly midnight therefore does not
-- own the night before it; a discharge at exactly midnight owns the night that ends then.
WITH nights AS (
  SELECT
    a.admission_id,
    a.patient_id,
    a.hospital_id,
    a.department_id,
    a.admit_ts,
    CAST(unnest(range(CAST(a.admit_ts AS DATE), CAST(coalesce(a.discharge_ts, p.cutoff) AS DATE), INTERVAL 1 DAY)) AS DATE) AS night
  FROM admissions_in_scope a
  CROSS JOIN params p
)
SELECT
  night AS period_date,
  hospital_id,
  department_id,
  CAST(NULL AS VARCHAR) AS exclusion,
  CAST(1 AS DOUBLE) AS num,
  CAST(NULL AS DOUBLE) AS den,
  patient_id,
  admission_id,
  count(*) OVER (PARTITION BY patient_id, night) AS contacts_that_night
FROM nights
QUALIFY row_number() OVER (PARTITION BY patient_id, night ORDER BY admit_ts DESC, admission_id DESC) = 1
