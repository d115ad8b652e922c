-- Every finished run of a test case: the history behind last_result and the flaky flag.
CREATE TABLE test_runs (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  test_case_id INTEGER NOT NULL,
  execution_id INTEGER NOT NULL,
  step_number  INTEGER NOT NULL,
  status       TEXT    NOT NULL,
  exit_code    INTEGER,
  error        TEXT,
  revision     TEXT,
  command      TEXT,
  report       TEXT,
  started_at   INTEGER,
  finished_at  INTEGER NOT NULL,
  UNIQUE (execution_id, step_number)
);
CREATE INDEX test_runs_case ON test_runs (test_case_id, id);
ALTER TABLE test_cases ADD COLUMN flaky INTEGER NOT NULL DEFAULT 0;
