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

  public String displayName() {
    return this == SQLITE ? "sqlite" : "postgresql";
  }
}
