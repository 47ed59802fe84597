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
-- periods: spread
-- recompute: patients

-- Nights of contact c are the dates date(admit) .. date(end) - 1: the midnight ending
-- date(admit) is always after admit, and the midnight ending date(end) - 1 is date(end)
-- 00:00, which is at or before end. An admission at exactly midnight therefore does not
-- own the night before it; a discharge at exactly midnight owns the night that ends then.
--
-- Nights are counted as intervals, never listed one by one, so the work grows with the
-- number of contacts and the months they cover, not with the nights (a stay open since
-- 1900 is ~13,000 month rows, not ~400,000 night rows: docs/operations.md, "Cost grows with
-- rows, not with dates"). A patient's contact starts and ends cut the timeline into pieces
-- that the same contacts cover throughout; each piece goes to its covering contact with the
-- latest admission, and is then cut at month boundaries. One fact row is one such piece
-- within one month: `records` nights (what the count adds up) from first_night to last_night.
WITH c AS (
  SELECT
    a.admission_id,
    a.patient_id,
    a.hospital_id,
    a.department_id,
    a.admit_ts,
    CAST(a.admit_ts AS DATE) AS n_from,
    CAST(coalesce(a.discharge_ts, p.cutoff) AS DATE) AS n_to
  FROM admissions_in_scope a
  CROSS JOIN params p
  WHERE CAST(coalesce(a.discharge_ts, p.cutoff) AS DATE) > CAST(a.admit_ts AS DATE)
), cuts AS (
  SELECT DISTINCT patient_id, d FROM (SELECT patient_id, n_from AS d FROM c UNION ALL SELECT patient_id, n_to FROM c)
), pieces AS (
  SELECT patient_id, d AS p_from, lead(d) OVER (PARTITION BY patient_id ORDER BY d) AS p_to FROM cuts
), owned AS (
  SELECT
    pc.patient_id, pc.p_from, pc.p_to, c.admission_id, c.hospital_id, c.department_id,
    count(*) OVER (PARTITION BY pc.patient_id, pc.p_from) AS contacts_that_night
  FROM pieces pc
  JOIN c ON c.patient_id = pc.patient_id AND c.n_from <= pc.p_from AND c.n_to >= pc.p_to
  QUALIFY row_number() OVER (PARTITION BY pc.patient_id, pc.p_from ORDER BY c.admit_ts DESC, c.admission_id DESC) = 1
), monthly AS (
  -- Month starts from the piece's first month to before its end: each holds at least one night.
  SELECT *, CAST(unnest(range(date_trunc('month', p_from), p_to, INTERVAL 1 MONTH)) AS DATE) AS month_start
  FROM owned
), clipped AS (
  SELECT *,
    greatest(p_from, month_start) AS first_night,
    CAST(least(p_to, month_start + INTERVAL 1 MONTH) AS DATE) AS night_after
  FROM monthly
)
SELECT
  first_night AS period_date,
  hospital_id,
  department_id,
  CAST(NULL AS VARCHAR) AS exclusion,
  CAST(date_diff('day', first_night, night_after) AS DOUBLE) AS num,
  CAST(NULL AS DOUBLE) AS den,
  date_diff('day', first_night, night_after) AS records,
  patient_id,
  admission_id,
  first_night,
  CAST(night_after - 1 AS DATE) AS last_night,
  contacts_that_night
FROM clipped
