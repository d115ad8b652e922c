package dev.stepwise.auth;

import dev.stepwise.store.Columns;
import dev.stepwise.store.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.statement.StatementContext;

/** The API token store; tokens are kept only as SHA-256 hashes. Thread-safe. */
public final class ApiTokens {
  private static final String COLUMNS = "id, user_id, name, created_at, expires_at, last_used_at, revoked_at";

  private final Database db;

  public ApiTokens(Database db) {
    this.db = db;
  }

  /** A stored token with its owner, as found by its hash. */
  public record Stored(long userId, ApiToken token) {}

  public ApiToken create(long userId, String name, String tokenHash, Instant createdAt, Instant expiresAt) {
    long id = db.jdbi().withHandle(h -> h.createQuery("""
            INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at)
            VALUES (:user, :name, :hash, :created, :expires) RETURNING id""")
        .bind("user", userId).bind("name", name).bind("hash", tokenHash)
        .bind("created", createdAt.toEpochMilli()).bind("expires", expiresAt.toEpochMilli())
        .mapTo(Long.class).one());
    return new ApiToken(id, name, createdAt, expiresAt, null, null);
  }

  public Optional<Stored> findByHash(String tokenHash) {
    return db.reads().withHandle(h -> h.createQuery(
            "SELECT " + COLUMNS + " FROM api_tokens WHERE token_hash = :hash")
        .bind("hash", tokenHash).map(ApiTokens::mapStored).findOne());
  }

  public List<ApiToken> listForUser(long userId) {
    return db.reads().withHandle(h -> h.createQuery(
            "SELECT " + COLUMNS + " FROM api_tokens WHERE user_id = :user ORDER BY id")
        .bind("user", userId).map((rs, ctx) -> mapStored(rs, ctx).token()).list());
  }

  /** Revokes the user's token; false when they have no such token or it was already revoked. */
  public boolean revoke(long userId, long tokenId, Instant now) {
    return db.jdbi().withHandle(h -> h.createUpdate("""
            UPDATE api_tokens SET revoked_at = :now
            WHERE id = :id AND user_id = :user AND revoked_at IS NULL""")
        .bind("now", now.toEpochMilli()).bind("id", tokenId).bind("user", userId).execute()) == 1;
  }

  /** One token by its id, whoever owns it: for the command line's administration. */
  public Optional<Stored> find(long tokenId) {
    return db.reads().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM api_tokens WHERE id = :id")
        .bind("id", tokenId).map(ApiTokens::mapStored).findOne());
  }

  /** Every user's tokens, for the command line's administration: each with its owner's id. */
  public List<Stored> listAll() {
    return db.reads().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM api_tokens ORDER BY id")
        .map(ApiTokens::mapStored).list());
  }

  public boolean exists(long userId, long tokenId) {
    return db.reads().withHandle(h -> h.createQuery(
            "SELECT COUNT(*) FROM api_tokens WHERE id = :id AND user_id = :user")
        .bind("id", tokenId).bind("user", userId).mapTo(Long.class).one()) > 0;
  }

  public void markUsed(long tokenId, Instant now) {
    db.jdbi().useHandle(h -> h.createUpdate("UPDATE api_tokens SET last_used_at = :now WHERE id = :id")
        .bind("now", now.toEpochMilli()).bind("id", tokenId).execute());
  }

  private static Stored mapStored(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Stored(rs.getLong("user_id"), new ApiToken(
        rs.getLong("id"), rs.getString("name"),
        Columns.instant(rs, "created_at"), Columns.instant(rs, "expires_at"),
        Columns.instant(rs, "last_used_at"), Columns.instant(rs, "revoked_at")));
  }
}
