-- metric_id: los_p90
-- version: 1
-- view: outcome
-- title: Length of stay, 90th percentile
-- definition: Nearest-rank 90th percentile of the length of closed stays in days: the smallest length such that at least 90% of the stays are that long or shorter.
-- grain: month of discharge × discharging hospital × discharging department
-- numerator: none (a quantile)
-- denominator: closed stays discharged in the period
-- exclusions: none
-- unit: days
-- direction: lower_is_better
-- kind: quantile
-- level: department
-- requires: none
-- quantile: 9/10

-- One fact per closed stay (metrics/shared/closed_stays.sql), num = los_days.
SELECT * FROM closed_stays
