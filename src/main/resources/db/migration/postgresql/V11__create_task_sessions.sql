-- A coding task's runs (API.md §6): one session per run, and what happened in it, in order.
ALTER TABLE tasks ADD COLUMN approval_edit TEXT NOT NULL DEFAULT 'never';
ALTER TABLE tasks ADD COLUMN approval_shell TEXT NOT NULL DEFAULT 'risky';
ALTER TABLE tasks ADD COLUMN plan TEXT;

CREATE TABLE task_sessions (
  id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  task_id          BIGINT  NOT NULL,
  execution_id     BIGINT  NOT NULL UNIQUE,
  agent            TEXT    NOT NULL,
  agent_session_id TEXT,
  status           TEXT    NOT NULL,
  error            TEXT,
  last_seq         INTEGER NOT NULL DEFAULT 0,
  prompted_step    INTEGER,
  started_at       BIGINT  NOT NULL,
  finished_at      BIGINT
);
CREATE INDEX task_sessions_task ON task_sessions (task_id, id);

CREATE TABLE session_activity (
  session_id BIGINT  NOT NULL,
  seq        INTEGER NOT NULL,
  at         BIGINT  NOT NULL,
  kind       TEXT    NOT NULL,
  text       TEXT,
  tool       TEXT,
  data       TEXT,
  PRIMARY KEY (session_id, seq)
);

-- What an agent asked a person for (OpenCode's permission requests): the step it parked, and the decision,
-- which the step sends back to the agent when it runs again.

CREATE TABLE agent_permissions (
  session_id    BIGINT  NOT NULL,
  permission_id TEXT    NOT NULL,
  execution_id  BIGINT  NOT NULL,
  step_number   INTEGER NOT NULL,
  tool          TEXT    NOT NULL,
  arguments     TEXT    NOT NULL,
  status        TEXT    NOT NULL,
  decided_by    TEXT,
  comment       TEXT,
  asked_at      BIGINT  NOT NULL,
  decided_at    BIGINT,
  PRIMARY KEY (session_id, permission_id)
);
CREATE INDEX agent_permissions_step ON agent_permissions (execution_id, step_number, status);
