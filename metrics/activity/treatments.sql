-- metric_id: treatments
-- version: 1
-- view: activity
-- title: Ambulatory treatments
-- definition: Rows of treatments with setting ambulatory (in person and virtual), in the month they start.
-- grain: month of the treatment start × hospital × department
-- numerator: ambulatory treatments in the period
-- denominator: none (a count)
-- exclusions: after_cutoff
-- unit: treatments
-- direction: neutral
-- kind: count
-- level: department
-- requires: none

-- One fact per ambulatory row of treatments (metrics/shared/treatment_rows.sql).
SELECT * EXCLUDE (end_ts, setting) FROM treatment_rows WHERE setting = 'ambulatory'
