package dev.stepwise.store;

/** The database was migrated by a newer Stepwise; this one must not touch it. */
public final class SchemaTooNewException extends RuntimeException {
  public SchemaTooNewException(String databaseVersion, String knownVersion) {
    super("the database schema is at version " + databaseVersion + " but this Stepwise knows only up to "
        + knownVersion + "; run the newer Stepwise that migrated it, or point STEPWISE_DB_URL "
        + "at another database");
  }
}
