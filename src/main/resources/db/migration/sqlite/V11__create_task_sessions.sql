-- A coding task's runs (API.md §6): one session per run, and what happened in it, in order.
ALTER TABLE tasks ADD COLUMN approval_edit TEXT NOT NULL DEFAULT 'never';
ALTER TABLE tasks ADD COLUMN approval_shell TEXT NOT NULL DEFAULT 'risky';
ALTER TABLE tasks ADD COLUMN plan TEXT;

CREATE TABLE task_sessions (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  task_id          INTEGER NOT NULL,
  execution_id     INTEGER NOT NULL UNIQUE,
  agent            TEXT    NOT NULL,
  agent_session_id TEXT,
  status           TEXT    NOT NULL,
  error            TEXT,
  last_seq         INTEGER NOT NULL DEFAULT 0,
  started_at       INTEGER NOT NULL,
  finished_at      INTEGER
);
CREATE INDEX task_sessions_task ON task_sessions (task_id, id);

CREATE TABLE session_activity (
  session_id INTEGER NOT NULL,
  seq        INTEGER NOT NULL,
  at         INTEGER NOT NULL,
  kind       TEXT    NOT NULL,
  text       TEXT,
  tool       TEXT,
  data       TEXT,
  PRIMARY KEY (session_id, seq)
);
