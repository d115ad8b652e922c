-- Remote environments (API.md §10): how many steps run on each at once across every node, the
-- executions waiting for one of its slots, and the remote processes still to stop after a lost
-- connection or a crash.
CREATE TABLE environment_slots (
  environment  TEXT    NOT NULL,
  slot         INTEGER NOT NULL,
  execution_id BIGINT,
  step_number  INTEGER,
  fence        BIGINT,
  node_id      TEXT,
  acquired_at  BIGINT,
  PRIMARY KEY (environment, slot)
);
CREATE INDEX environment_slots_holder ON environment_slots (execution_id, step_number);

ALTER TABLE executions ADD COLUMN waiting_for TEXT;

CREATE TABLE remote_cleanups (
  environment TEXT    NOT NULL,
  mark        TEXT    NOT NULL,
  reason      TEXT    NOT NULL,
  created_at  BIGINT  NOT NULL,
  PRIMARY KEY (environment, mark)
);
