CREATE TABLE executions (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  name             TEXT    NOT NULL,
  kind             TEXT    NOT NULL,
  status           TEXT    NOT NULL,
  priority         INTEGER NOT NULL,
  plan_json        TEXT    NOT NULL,
  labels           TEXT    NOT NULL DEFAULT '[]',
  created_by       INTEGER,
  created_by_name  TEXT    NOT NULL,
  created_at       INTEGER NOT NULL,
  queued_at        INTEGER NOT NULL,
  started_at       INTEGER,
  finished_at      INTEGER,
  deadline_at      INTEGER,
  current_step     INTEGER,
  environment      TEXT,
  error            TEXT,
  lease_owner      TEXT,
  lease_expires_at INTEGER,
  fence            INTEGER NOT NULL DEFAULT 0,
  run_after        INTEGER NOT NULL DEFAULT 0,
  cancel_requested INTEGER NOT NULL DEFAULT 0,
  retry_of         INTEGER
);
CREATE INDEX executions_claim ON executions (status, priority DESC, queued_at, id);
CREATE INDEX executions_lease ON executions (lease_owner, lease_expires_at);
CREATE INDEX executions_kind ON executions (kind, status);
CREATE INDEX executions_finished ON executions (finished_at);

CREATE TABLE steps (
  execution_id          INTEGER NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  step_number           INTEGER NOT NULL,
  name                  TEXT    NOT NULL,
  step_type             TEXT    NOT NULL,
  command               TEXT,
  requires_approval     INTEGER NOT NULL,
  approved              INTEGER,
  approved_by           TEXT,
  approval_comment      TEXT,
  approval_requested_at INTEGER,
  approval_expires_at   INTEGER,
  status                TEXT    NOT NULL,
  exit_code             INTEGER,
  started_at            INTEGER,
  finished_at           INTEGER,
  output_tail           TEXT,
  attempts              INTEGER NOT NULL DEFAULT 0,
  error                 TEXT,
  PRIMARY KEY (execution_id, step_number)
);
CREATE INDEX steps_waiting ON steps (status, approval_requested_at);

CREATE TABLE step_output (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  execution_id INTEGER NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  step_number  INTEGER NOT NULL,
  chunk        TEXT    NOT NULL
);
CREATE INDEX step_output_step ON step_output (execution_id, step_number, id);

CREATE TABLE events (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  type       TEXT    NOT NULL,
  topic      TEXT    NOT NULL,
  created_at INTEGER NOT NULL,
  data       TEXT    NOT NULL
);
CREATE INDEX events_topic ON events (topic, id);
