-- Conversations: a user's threads and their messages (API.md §7).
CREATE TABLE threads (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id    INTEGER NOT NULL REFERENCES users (id),
  title      TEXT    NOT NULL,
  agent      TEXT    NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX threads_user_recent ON threads (user_id, updated_at, id);
CREATE TABLE messages (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  thread_id  INTEGER NOT NULL REFERENCES threads (id),
  role       TEXT    NOT NULL,
  content    TEXT    NOT NULL,
  run_id     INTEGER,
  created_at INTEGER NOT NULL
);
CREATE INDEX messages_thread ON messages (thread_id, id);
