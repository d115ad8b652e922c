-- The queue's indexes hold only the rows that wait: queued executions, those parked for a retry or
-- taken from a holder that stopped, leases that can expire, deadlines still to keep, steps that wait
-- for a decision. Indexes keyed by a status or a lease holder and then by something else than the
-- row's id held every row, and PostgreSQL's statistics, sampled when no execution happened to be
-- running (after a bulk load, on an idle server), said almost none were: the planner then found an
-- execution's row for a compare-and-set (`WHERE id = … AND status = 'running' AND lease_owner = …`)
-- through such an index, reading every running execution's entry instead of one row by its key.
-- The compare-and-sets' and the claim's states contradict or do not imply the other partial
-- indexes' predicates, so none of them can take such a path again: a list of one finished status
-- reads its own partial index, a list of one kind an index of kind and id.
DROP INDEX executions_claim;
DROP INDEX executions_lease;
DROP INDEX executions_kind;
DROP INDEX steps_waiting;
CREATE INDEX executions_finished_status ON executions (status, id)
  WHERE status IN ('completed', 'failed', 'cancelled', 'rejected', 'timed_out');
CREATE INDEX executions_kind ON executions (kind, id);
CREATE INDEX executions_queued ON executions (priority DESC, queued_at, id) WHERE status = 'queued';
CREATE INDEX executions_parked ON executions (priority DESC, queued_at, id) WHERE status = 'running' AND lease_owner IS NULL;
CREATE INDEX executions_leased ON executions (lease_expires_at) WHERE lease_expires_at IS NOT NULL;
CREATE INDEX executions_deadline ON executions (deadline_at)
  WHERE deadline_at IS NOT NULL AND status IN ('queued', 'running', 'waiting_approval');
CREATE INDEX executions_active ON executions (kind, status) WHERE status IN ('queued', 'running', 'waiting_approval');
CREATE INDEX steps_waiting ON steps (approval_requested_at) WHERE status = 'waiting_approval';
