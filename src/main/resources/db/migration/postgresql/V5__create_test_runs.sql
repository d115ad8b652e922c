-- Every finished run of a test case: the history behind last_result and the flaky flag.
CREATE TABLE test_runs (
  id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  test_case_id BIGINT  NOT NULL,
  execution_id BIGINT  NOT NULL,
  step_number  INTEGER NOT NULL,
  status       TEXT    NOT NULL,
  exit_code    INTEGER,
  error        TEXT,
  revision     TEXT,
  command      TEXT,
  report       TEXT,
  started_at   BIGINT,
  finished_at  BIGINT  NOT NULL,
  UNIQUE (execution_id, step_number)
);
CREATE INDEX test_runs_case ON test_runs (test_case_id, id);
ALTER TABLE test_cases ADD COLUMN flaky BOOLEAN NOT NULL DEFAULT FALSE;
