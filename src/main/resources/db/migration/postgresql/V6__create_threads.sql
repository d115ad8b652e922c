-- Conversations: a user's threads and their messages (API.md §7).
CREATE TABLE threads (
  id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id    BIGINT NOT NULL REFERENCES users (id),
  title      TEXT   NOT NULL,
  agent      TEXT   NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX threads_user_recent ON threads (user_id, updated_at, id);
CREATE TABLE messages (
  id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  thread_id  BIGINT NOT NULL REFERENCES threads (id),
  role       TEXT   NOT NULL,
  content    TEXT   NOT NULL,
  run_id     BIGINT,
  created_at BIGINT NOT NULL
);
CREATE INDEX messages_thread ON messages (thread_id, id);
