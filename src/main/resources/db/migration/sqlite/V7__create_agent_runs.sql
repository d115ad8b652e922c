-- Agent runs: each agent step's conversation, checkpointed turn by turn and call by call, so that a
-- resumed run goes on from where it stopped and never repeats a tool call (API.md §7, DESIGN.md).
CREATE TABLE agent_runs (
  execution_id INTEGER NOT NULL REFERENCES executions (id),
  step_number  INTEGER NOT NULL,
  agent        TEXT    NOT NULL,
  thread_id    INTEGER REFERENCES threads (id),
  started      INTEGER NOT NULL DEFAULT 0,
  ended        INTEGER NOT NULL DEFAULT 0,
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (execution_id, step_number)
);
CREATE INDEX agent_runs_thread ON agent_runs (thread_id);
-- One model answer: what it said, and (in agent_tool_calls) the calls it asked for.
CREATE TABLE agent_turns (
  execution_id INTEGER NOT NULL,
  step_number  INTEGER NOT NULL,
  turn         INTEGER NOT NULL,
  text         TEXT,
  thinking     TEXT,
  created_at   INTEGER NOT NULL,
  PRIMARY KEY (execution_id, step_number, turn)
);
-- One tool call: proposed → (approved | rejected, when it needs a decision) → running → completed,
-- or refused (not allowed, bad arguments) or interrupted (the server stopped mid-call).
CREATE TABLE agent_tool_calls (
  execution_id     INTEGER NOT NULL,
  step_number      INTEGER NOT NULL,
  turn             INTEGER NOT NULL,
  position         INTEGER NOT NULL,
  call_id          TEXT    NOT NULL,
  tool             TEXT    NOT NULL,
  arguments        TEXT    NOT NULL,
  status           TEXT    NOT NULL,
  decided_by       TEXT,
  decision_comment TEXT,
  output           TEXT,
  exit_code        INTEGER,
  started_at       INTEGER,
  finished_at      INTEGER,
  PRIMARY KEY (execution_id, step_number, turn, position)
);
