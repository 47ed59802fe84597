-- metric_id: los_median
-- version: 1
-- view: outcome
-- title: Median length of stay
-- definition: Nearest-rank median of the length of closed stays in days: the smallest length such that at least half the stays are that long or shorter (the lower middle value for an even count).
-- grain: month of discharge × discharging hospital × discharging department
-- numerator: none (a quantile)
-- denominator: closed stays discharged in the period
-- exclusions: none
-- unit: days
-- direction: lower_is_better
-- kind: quantile
-- level: department
-- requires: none
-- quantile: 1/2

-- One fact per closed stay (metrics/shared/closed_stays.sql), num = los_days.
SELECT * FROM closed_stays
