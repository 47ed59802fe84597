-- metric_id: mortality_30d
-- version: 1
-- view: outcome
-- title: 30-day mortality after discharge
-- title_da: Dødelighed inden for 30 dage efter udskrivelse
-- definition: Share of index stays (as for 30-day readmission) whose patient died on or before the 30th day
--   after the discharge date. Read beside readmissions: fewer readmissions because more deaths shows here.
-- definition_da: Andel af indeksforløbene (som for genindlæggelser inden for 30 dage), hvor patienten døde senest på 30.-dagen efter udskrivelsesdatoen. Læses sammen med genindlæggelserne: færre genindlæggelser, fordi flere dør, viser sig her.
-- grain: month of discharge × discharging hospital × discharging department
-- grain_da: udskrivelsesmåned × udskrivende hospital × udskrivende afdeling
-- numerator: index stays whose patient's death_date is on or before date(discharge) + 30
-- numerator_da: indeksforløb, hvor patientens death_date ligger senest på date(discharge) + 30
-- denominator: index stays: closed stays, patient alive at discharge, not against advice, not transferred out, 30 days of follow-up before the cutoff
-- denominator_da: indeksforløb: afsluttede forløb, patienten i live ved udskrivelsen, ikke udskrevet mod råd, ikke overflyttet til et andet hospital, 30 dages opfølgning før dataskæringen
-- exclusions: died, against_advice, transfer_out, incomplete_follow_up
-- unit: share of index stays
-- unit_da: andel af indeksforløb
-- direction: lower_is_better
-- kind: rate
-- level: department
-- requires: patients
-- order: 110
-- docs: metrics/mortality.md
-- charts: funnel, control
-- periods: event
-- recompute: patients
-- follow_up_days: 31

-- One fact per closed stay, with the exclusions of readmission_30d (docs/reference/metrics.md#mortality): the
-- 30-day index stays of metrics/shared/index_stays.sql.
-- A patient without a death_date (or without a patients row) is alive.
SELECT
  i.discharge_date AS period_date,
  i.discharge_hospital_id AS hospital_id,
  i.discharge_department_id AS department_id,
  i.exclusion,
  CAST(CASE WHEN pt.death_date <= i.discharge_date + 30 THEN 1 ELSE 0 END AS DOUBLE) AS num,
  CAST(NULL AS DOUBLE) AS den,
  i.patient_id,
  i.stay_id,
  i.admit_ts,
  i.discharge_ts,
  i.discharge_disposition,
  pt.death_date,
  date_diff('day', i.discharge_date, pt.death_date) AS days_to_death
FROM index_stays i
LEFT JOIN patients_or_empty pt ON pt.patient_id = i.patient_id
WHERE i.window_days = 30
