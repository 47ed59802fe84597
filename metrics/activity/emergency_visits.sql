-- metric_id: emergency_visits
-- version: 1
-- view: activity
-- title: Emergency visits
-- definition: Rows of treatments with setting emergency, in the month they start.
-- grain: month of the visit start × hospital × department
-- numerator: emergency visits in the period
-- denominator: none (a count)
-- exclusions: after_cutoff
-- unit: visits
-- direction: neutral
-- kind: count
-- level: department
-- requires: none

-- One fact per emergency row of treatments (metrics/shared/treatment_rows.sql).
SELECT * EXCLUDE (mode, setting) FROM treatment_rows WHERE setting = 'emergency'
