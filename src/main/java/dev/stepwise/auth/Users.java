package dev.stepwise.auth;

import dev.stepwise.store.Constraints;
import dev.stepwise.store.Database;
import dev.stepwise.store.Dialect;
import dev.stepwise.store.Page;
import dev.stepwise.web.ApiError;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** The user store. Thread-safe. */
public final class Users {
  private static final String COLUMNS = "id, username, role, disabled, builtin, created_at, updated_at";

  private final Database db;
  private final Clock clock;

  public Users(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** A user with their password hash, for login only. */
  public record Credentials(User user, String passwordHash) {}

  /** Thrown when the username is taken. */
  public static final class UsernameTaken extends ApiError {
    UsernameTaken(String username) {
      super(409, "CONFLICT", "the username '" + username + "' is already taken; choose another");
    }
  }

  public User create(String username, String passwordHash, Role role, boolean builtin) {
    long now = clock.millis();
    try {
      long id = db.jdbi().withHandle(h -> h.createQuery("""
              INSERT INTO users (username, password_hash, role, disabled, builtin, created_at, updated_at)
              VALUES (:username, :hash, :role, FALSE, :builtin, :now, :now) RETURNING id""")
          .bind("username", username).bind("hash", passwordHash).bind("role", role.wireName())
          .bind("builtin", builtin).bind("now", now)
          .mapTo(Long.class).one());
      return find(id).orElseThrow();
    } catch (RuntimeException e) {
      if (Constraints.isUniqueViolation(e)) throw new UsernameTaken(username);
      throw e;
    }
  }

  public Optional<User> find(long id) {
    return db.reads().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM users WHERE id = :id")
        .bind("id", id).map(Users::map).findOne());
  }

  public Optional<User> findByUsername(String username) {
    return db.reads().withHandle(h -> find(h, username));
  }

  public Optional<Credentials> credentials(String username) {
    return db.reads().withHandle(h -> h.createQuery(
            "SELECT " + COLUMNS + ", password_hash FROM users WHERE username = :username")
        .bind("username", username)
        .map((rs, ctx) -> new Credentials(map(rs, ctx), rs.getString("password_hash")))
        .findOne());
  }

  /** Users ordered by id, after {@code afterId}. */
  public Page<User> list(long afterId, int limit) {
    List<User> rows = db.reads().withHandle(h -> h.createQuery(
            "SELECT " + COLUMNS + " FROM users WHERE id > :after ORDER BY id LIMIT :limit")
        .bind("after", afterId).bind("limit", limit + 1).map(Users::map).list());
    return Page.of(rows, limit, User::id);
  }

  /**
   * Applies the non-null changes in one transaction. Refuses, with {@link LastAdmin}, a change
   * that would leave no enabled admin.
   */
  public Optional<User> update(long id, Role role, String passwordHash, Boolean disabled) {
    return db.jdbi().inTransaction(h -> {
      lockAdmins(h);
      Optional<User> current = h.createQuery("SELECT " + COLUMNS + " FROM users WHERE id = :id")
          .bind("id", id).map(Users::map).findOne();
      if (current.isEmpty()) return Optional.empty();
      User user = current.get();
      boolean losesAdmin = user.role() == Role.ADMIN && !user.disabled()
          && ((role != null && role != Role.ADMIN) || Boolean.TRUE.equals(disabled));
      if (losesAdmin && otherEnabledAdmins(h, id) == 0) throw new LastAdmin();
      h.createUpdate("""
              UPDATE users SET role = COALESCE(:role, role),
                password_hash = COALESCE(:hash, password_hash),
                disabled = COALESCE(:disabled, disabled), updated_at = :now
              WHERE id = :id""")
          .bind("role", role == null ? null : role.wireName()).bind("hash", passwordHash)
          .bind("disabled", disabled).bind("now", clock.millis()).bind("id", id).execute();
      return h.createQuery("SELECT " + COLUMNS + " FROM users WHERE id = :id")
          .bind("id", id).map(Users::map).findOne();
    });
  }

  /**
   * Deletes the user with their API tokens and their conversations (executions they submitted stay;
   * ids are never reused, so no later user owns them); refuses to delete the last enabled admin.
   */
  public boolean delete(long id) {
    return db.jdbi().inTransaction(h -> {
      lockAdmins(h);
      Optional<User> user = h.createQuery("SELECT " + COLUMNS + " FROM users WHERE id = :id")
          .bind("id", id).map(Users::map).findOne();
      if (user.isEmpty()) return false;
      if (user.get().role() == Role.ADMIN && !user.get().disabled() && otherEnabledAdmins(h, id) == 0) {
        throw new LastAdmin();
      }
      h.createUpdate("DELETE FROM api_tokens WHERE user_id = :id").bind("id", id).execute();
      // their conversations are theirs alone and go with them; the runs that answered stay, unthreaded
      h.createUpdate("UPDATE agent_runs SET thread_id = NULL WHERE thread_id IN (SELECT id FROM threads WHERE user_id = :id)")
          .bind("id", id).execute();
      h.createUpdate("DELETE FROM messages WHERE thread_id IN (SELECT id FROM threads WHERE user_id = :id)")
          .bind("id", id).execute();
      h.createUpdate("DELETE FROM threads WHERE user_id = :id").bind("id", id).execute();
      return h.createUpdate("DELETE FROM users WHERE id = :id").bind("id", id).execute() == 1;
    });
  }

  public boolean anyEnabledAdmin() {
    return db.reads().withHandle(h -> otherEnabledAdmins(h, -1)) > 0;
  }

  public long count() {
    return db.reads().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM users").mapTo(Long.class).one());
  }

  /** Thrown when a change would leave nobody able to administer Stepwise. */
  public static final class LastAdmin extends ApiError {
    LastAdmin() {
      super(409, "CONFLICT", "this is the last enabled admin; make another user admin first");
    }
  }

  private static long otherEnabledAdmins(Handle h, long exceptId) {
    return h.createQuery("SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = FALSE AND id <> :id")
        .bind("id", exceptId).mapTo(Long.class).one();
  }

  /**
   * Serializes changes that could remove the last admin. SQLite has a single writer already; on
   * PostgreSQL two concurrent demotions would each see the other admin and both go ahead, so the
   * enabled admins' rows are locked first.
   */
  private void lockAdmins(Handle h) {
    if (db.dialect() == Dialect.POSTGRESQL) {
      h.createQuery("SELECT id FROM users WHERE role = 'admin' AND disabled = FALSE ORDER BY id FOR UPDATE")
          .mapTo(Long.class).list();
    }
  }

  private static Optional<User> find(Handle h, String username) {
    return h.createQuery("SELECT " + COLUMNS + " FROM users WHERE username = :username")
        .bind("username", username).map(Users::map).findOne();
  }

  private static User map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new User(
        rs.getLong("id"),
        rs.getString("username"),
        Role.fromWireName(rs.getString("role"))
            .orElseThrow(() -> new IllegalStateException("unknown role in the database")),
        rs.getBoolean("disabled"),
        rs.getBoolean("builtin"),
        Instant.ofEpochMilli(rs.getLong("created_at")),
        Instant.ofEpochMilli(rs.getLong("updated_at")));
  }
}
