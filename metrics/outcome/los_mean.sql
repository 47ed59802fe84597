-- metric_id: los_mean
-- version: 1
-- view: outcome
-- title: Mean length of stay
-- definition: Mean length of closed stays in days (calendar days from admission to discharge, at least 1), a transfer chain being one stay.
-- grain: month of discharge × discharging hospital × discharging department
-- numerator: sum of los_days
-- denominator: closed stays discharged in the period
-- exclusions: none
-- unit: days
-- direction: lower_is_better
-- kind: mean
-- level: department
-- requires: none

-- One fact per closed stay (metrics/shared/closed_stays.sql), num = los_days.
SELECT * FROM closed_stays
