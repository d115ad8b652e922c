CREATE TABLE executions (
  id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name             TEXT    NOT NULL,
  kind             TEXT    NOT NULL,
  status           TEXT    NOT NULL,
  priority         INTEGER NOT NULL,
  plan_json        TEXT    NOT NULL,
  labels           TEXT    NOT NULL DEFAULT '[]',
  created_by       BIGINT,
  created_by_name  TEXT    NOT NULL,
  created_at       BIGINT  NOT NULL,
  queued_at        BIGINT  NOT NULL,
  started_at       BIGINT,
  finished_at      BIGINT,
  deadline_at      BIGINT,
  current_step     INTEGER,
  environment      TEXT,
  error            TEXT,
  lease_owner      TEXT,
  lease_expires_at BIGINT,
  fence            BIGINT  NOT NULL DEFAULT 0,
  run_after        BIGINT  NOT NULL DEFAULT 0,
  cancel_requested BOOLEAN NOT NULL DEFAULT FALSE,
  retry_of         BIGINT
);
CREATE INDEX executions_claim ON executions (status, priority DESC, queued_at, id);
CREATE INDEX executions_lease ON executions (lease_owner, lease_expires_at);
CREATE INDEX executions_kind ON executions (kind, status);
CREATE INDEX executions_finished ON executions (finished_at);

CREATE TABLE steps (
  execution_id          BIGINT  NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  step_number           INTEGER NOT NULL,
  name                  TEXT    NOT NULL,
  step_type             TEXT    NOT NULL,
  command               TEXT,
  requires_approval     BOOLEAN NOT NULL,
  approved              BOOLEAN,
  approved_by           TEXT,
  approval_comment      TEXT,
  approval_requested_at BIGINT,
  approval_expires_at   BIGINT,
  status                TEXT    NOT NULL,
  exit_code             INTEGER,
  started_at            BIGINT,
  finished_at           BIGINT,
  output_tail           TEXT,
  attempts              INTEGER NOT NULL DEFAULT 0,
  error                 TEXT,
  PRIMARY KEY (execution_id, step_number)
);
CREATE INDEX steps_waiting ON steps (status, approval_requested_at);

CREATE TABLE step_output (
  id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  execution_id BIGINT  NOT NULL REFERENCES executions (id) ON DELETE CASCADE,
  step_number  INTEGER NOT NULL,
  chunk        TEXT    NOT NULL
);
CREATE INDEX step_output_step ON step_output (execution_id, step_number, id);

CREATE TABLE events (
  id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  type       TEXT   NOT NULL,
  topic      TEXT   NOT NULL,
  created_at BIGINT NOT NULL,
  data       TEXT   NOT NULL
);
CREATE INDEX events_topic ON events (topic, id);
