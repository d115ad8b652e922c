package dev.stepwise.store;

/** The few places where SQLite and PostgreSQL differ. Thread-safe (an enum). */
public enum Dialect {
  SQLITE("sqlite"),
  POSTGRESQL("postgresql");

  private final String migrationFolder;

  Dialect(String migrationFolder) {
    this.migrationFolder = migrationFolder;
  }

  public static Dialect fromUrl(String jdbcUrl) {
    if (jdbcUrl.startsWith("jdbc:sqlite:")) return SQLITE;
    if (jdbcUrl.startsWith("jdbc:postgresql:")) return POSTGRESQL;
    throw new IllegalArgumentException("unsupported database URL; use jdbc:sqlite: or jdbc:postgresql:");
  }

  /** The Flyway location of this dialect's migrations. */
  public String migrations() {
    return "classpath:db/migration/" + migrationFolder;
  }

  /**
   * The database's own clock in epoch milliseconds, as SQL. Lease expiry is computed and compared
   * with it, so that nodes whose clocks disagree still agree on when a lease has run out.
   */
  public String nowMillis() {
    return this == SQLITE ? "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"
        : "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";
  }

  /**
   * SQL that is true when every label in the {@code labels} JSON column is in the JSON list
   * {@code :available}. Most executions need no label: for them the JSON is not even parsed.
   */
  public String labelsWithin() {
    return this == SQLITE
        ? "CASE WHEN labels = '[]' THEN 1 ELSE NOT EXISTS (SELECT 1 FROM json_each(executions.labels) AS wanted "
            + "WHERE wanted.value NOT IN (SELECT value FROM json_each(:available))) END"
        : "CASE WHEN labels = '[]' THEN TRUE ELSE CAST(labels AS jsonb) <@ CAST(:available AS jsonb) END";
  }

  /**
   * SQL that is true when {@code column} is one of the ids in the JSON list {@code :ids}: one text
   * for any number of ids, so that neither the driver nor the database parses it anew for each
   * count, as they would an {@code IN} list of one parameter per id. Bind {@link #ids}.
   */
  public String idIn(String column) {
    return this == SQLITE ? column + " IN (SELECT value FROM json_each(:ids))"
        : column + " = ANY(CAST(TRANSLATE(:ids, '[]', '{}') AS BIGINT[]))";
  }

  /** The value of {@code :ids} for {@link #idIn}. */
  public static String ids(java.util.Collection<Long> ids) {
    var list = new StringBuilder("[");
    for (Long id : ids) list.append(list.length() == 1 ? "" : ",").append(id.longValue());
    return list.append(']').toString();
  }

  public String displayName() {
    return this == SQLITE ? "sqlite" : "postgresql";
  }
}
