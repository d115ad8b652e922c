-- Processes of a step are found by the mark in their environment (STEPWISE_STEP_MARK), not by a
-- recorded process group, which a child could leave.
ALTER TABLE steps DROP COLUMN process_group;
