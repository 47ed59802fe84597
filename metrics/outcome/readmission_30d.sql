-- metric_id: readmission_30d
-- version: 1
-- view: outcome
-- title: 30-day unplanned readmission
-- definition: Share of index stays whose patient's next stay is unplanned (acute or unknown) and starts
--   within 30 days of discharge. When the next stay is planned, the index is not readmitted.
-- grain: month of discharge × discharging hospital × discharging department
-- numerator: index stays followed by an unplanned stay admitted at most 30 days after the discharge date
-- denominator: index stays: closed stays, patient alive at discharge, not against advice, not transferred out, 30 days of follow-up before the cutoff
-- exclusions: died, against_advice, transfer_out, incomplete_follow_up
-- unit: share of index stays
-- direction: lower_is_better
-- kind: rate
-- level: department
-- requires: none

-- One fact per closed stay (the candidate index stays, metrics/shared/index_stays.sql) with
-- the first applicable exclusion in the order of metrics §3.1 and, for audit, the patient's
-- next stay.
SELECT * EXCLUDE (window_days) FROM readmission_facts WHERE window_days = 30
