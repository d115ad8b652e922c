-- Coding tasks (API.md §6): what to do, where, with which agent and reviews, and where it stands.
CREATE TABLE tasks (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  title           TEXT    NOT NULL,
  description     TEXT    NOT NULL,
  status          TEXT    NOT NULL,
  repository_path TEXT    NOT NULL,
  base_ref        TEXT    NOT NULL,
  agent           TEXT    NOT NULL,
  review_plan     TEXT    NOT NULL,
  review_merge    TEXT    NOT NULL,
  session_id      INTEGER,
  files_changed   INTEGER NOT NULL DEFAULT 0,
  additions       INTEGER NOT NULL DEFAULT 0,
  deletions       INTEGER NOT NULL DEFAULT 0,
  error           TEXT,
  created_by      INTEGER,
  created_by_name TEXT    NOT NULL,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL
);
CREATE INDEX tasks_status ON tasks (status, id);
