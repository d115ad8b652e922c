CREATE TABLE test_cases (
  id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name          TEXT   NOT NULL,
  description   TEXT,
  subsystem     TEXT,
  file_path     TEXT,
  function_name TEXT,
  source        TEXT   NOT NULL,
  generator     TEXT,
  command       TEXT,
  expected      TEXT,
  tags          TEXT   NOT NULL DEFAULT '[]',
  created_by    TEXT   NOT NULL,
  created_at    BIGINT NOT NULL,
  updated_at    BIGINT NOT NULL,
  last_result   TEXT
);
CREATE INDEX test_cases_subsystem ON test_cases (subsystem, id);
