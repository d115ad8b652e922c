package dev.stepwise.store;

/**
 * The database cannot do what was asked right now: it is unreachable, it dropped the connection,
 * its disk is full, or no connection became free in time. The message is words a person can act on
 * ("database unreachable at 127.0.0.1:5432"); the driver's own text stays in the server log.
 */
public final class StoreUnavailable extends RuntimeException {
  /** What kind of trouble it is. */
  public enum Kind {
    /** No connection can be opened. */
    UNREACHABLE(true),
    /** An open connection was closed under us (the server restarted, an admin ended it, the network broke). */
    CONNECTION_LOST(true),
    /** Writes fail because the disk holding the database is full. */
    DISK_FULL(false),
    /** Reading or writing the database's files failed, or they are damaged. */
    IO_ERROR(false),
    /** The database takes no writes (a read-only file, a standby after a failover). */
    READ_ONLY(false),
    /** It is there but cannot serve this now: every connection busy, short of resources, a conflict. */
    BUSY(false);

    private final boolean connectivity;

    Kind(boolean connectivity) {
      this.connectivity = connectivity;
    }

    /** Whether the database as a whole is out of reach (as opposed to one write failing). */
    public boolean connectivity() {
      return connectivity;
    }
  }

  private final Kind kind;

  public StoreUnavailable(Kind kind, String reason) {
    super(reason, null, false, false);
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  /** The reason in words, e.g. "database unreachable at 127.0.0.1:5432". */
  public String reason() {
    return getMessage();
  }
}
