package dev.stepwise.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.jdbi.v3.core.Jdbi;

/**
 * Owns the connection pools, the schema migrations and the {@link Jdbi} handles. SQLite runs in
 * WAL mode with exactly one writer connection and a few read-only ones; PostgreSQL uses one normal
 * pool for both. Thread-safe.
 */
public final class Database implements AutoCloseable {
  /**
   * How long the PostgreSQL pool is asked at a time; {@link Availability} asks again until the whole
   * wait is over, so a waiting request learns of an outage within a round. SQLite, a file, has no
   * outage to learn of: its one writer is waited for in one go, first come, first served.
   */
  static final Duration POOL_ROUND = Duration.ofMillis(500);
  /** How long a request may wait for a connection in all: the SQLite writer is one, so writes may queue. */
  private static final Duration SQLITE_WAIT = Duration.ofSeconds(10);
  private static final Duration POSTGRESQL_WAIT = Duration.ofSeconds(3);
  /** How long PostgreSQL lets a transaction of ours sit between statements before it ends it. */
  static final Duration IDLE_IN_TRANSACTION = Duration.ofSeconds(10);

  private final Dialect dialect;
  private final HikariDataSource writer;
  private final HikariDataSource reader;
  private final Jdbi jdbi;
  private final Jdbi reads;
  private final String schemaVersion;
  private final Availability writes;
  private final Availability readAvailability;
  private final PlannerStatistics statistics;

  private Database(Dialect dialect, String url, HikariDataSource writer, HikariDataSource reader, String schemaVersion) {
    this.dialect = dialect;
    this.writer = writer;
    this.reader = reader;
    var failures = StoreFailures.forUrl(url);
    Duration wait = dialect == Dialect.SQLITE ? SQLITE_WAIT : POSTGRESQL_WAIT;
    this.writes = new Availability(writer, () -> renew(writer), wait, url, failures);
    this.readAvailability = reader == writer ? writes : new Availability(reader, () -> renew(reader), wait, url, failures);
    this.jdbi = configure(writes);
    this.reads = reader == writer ? jdbi : configure(readAvailability);
    this.schemaVersion = schemaVersion;
    this.statistics = new PlannerStatistics(jdbi, dialect);
  }

  /**
   * Connections come through {@link Availability}, which also hears of every failed statement.
   * Queries with optional filters bind every parameter whether or not the text uses it.
   */
  private static Jdbi configure(Availability availability) {
    Jdbi jdbi = Jdbi.create(availability);
    var statements = jdbi.getConfig(org.jdbi.v3.core.statement.SqlStatements.class);
    statements.setUnusedBindingAllowed(true);
    statements.setSqlLogger(availability);
    jdbi.setHandleCallbackDecorator(availability);
    jdbi.getConfig(KeptStatements.class); // made here, so that every handle shares its statements
    return jdbi;
  }

  /**
   * Migrates the schema (refusing one newer than this build knows) and opens the pools.
   *
   * @throws SchemaTooNewException when the database was migrated by a newer Stepwise
   */
  public static Database open(String url, int poolSize, MeterRegistry metrics) {
    Dialect dialect = Dialect.fromUrl(url);
    Migrated migrated = migrate(url, dialect);
    String version = migrated.version();
    if (dialect == Dialect.SQLITE) {
      HikariDataSource writer = pool(url, dialect, "stepwise-writer", 1, false, metrics);
      HikariDataSource reader = pool(url, dialect, "stepwise-reader", Math.min(poolSize, 4), true, metrics);
      return new Database(dialect, url, writer, reader, version);
    }
    HikariDataSource pool = pool(url, dialect, "stepwise", poolSize, false, metrics);
    var database = new Database(dialect, url, pool, pool, version);
    if (migrated.applied() > 0) database.statistics.refresh();
    return database;
  }

  /** The schema version after migrating, and how many migrations that applied. */
  private record Migrated(String version, int applied) {}

  private static Migrated migrate(String url, Dialect dialect) {
    Flyway flyway = Flyway.configure()
        .dataSource(url, null, null)
        .locations(dialect.migrations())
        .connectRetries(3)
        .load();
    MigrationInfo[] applied = flyway.info().applied();
    var future = Arrays.stream(applied)
        .filter(m -> m.getState() == MigrationState.FUTURE_SUCCESS || m.getState() == MigrationState.FUTURE_FAILED)
        .max(Comparator.comparing(MigrationInfo::getVersion));
    if (future.isPresent()) {
      String known = Arrays.stream(flyway.info().all())
          .filter(m -> m.getState() != MigrationState.FUTURE_SUCCESS && m.getState() != MigrationState.FUTURE_FAILED)
          .map(m -> m.getVersion().getVersion())
          .reduce((a, b) -> b).orElse("0");
      throw new SchemaTooNewException(future.get().getVersion().getVersion(), known);
    }
    int executed = flyway.migrate().migrationsExecuted;
    MigrationInfo current = flyway.info().current();
    return new Migrated(current == null ? "0" : current.getVersion().getVersion(), executed);
  }

  private static HikariDataSource pool(
      String url, Dialect dialect, String name, int size, boolean readOnly, MeterRegistry metrics) {
    var config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setPoolName(name);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(Math.min(size, 2));
    config.setConnectionTimeout((dialect == Dialect.SQLITE ? SQLITE_WAIT : POOL_ROUND).toMillis());
    if (dialect == Dialect.SQLITE) {
      config.addDataSourceProperty("journal_mode", "WAL");
      config.addDataSourceProperty("synchronous", "NORMAL");
      config.addDataSourceProperty("busy_timeout", "5000");
      config.addDataSourceProperty("foreign_keys", "true");
      if (readOnly) config.setConnectionInitSql("PRAGMA query_only = 1");
    } else {
      // a server that is down or refusing is noticed within seconds (the URL's own values win)
      config.addDataSourceProperty("connectTimeout", "3");
      // a server that stops answering mid-statement (a partition) is a lost connection, not a hang
      config.addDataSourceProperty("socketTimeout", "30");
      config.addDataSourceProperty("tcpKeepAlive", "true");
      // a batch of INSERTs goes as multi-row statements (of fixed sizes: 1, 2, 4 … 128 rows), in order
      config.addDataSourceProperty("reWriteBatchedInserts", "true");
      // No transaction of ours waits between its statements (none spans a process or a network
      // call), so one that does belongs to a node that froze (a long pause, a stopped VM): the
      // server ends it, and the locks it held (a row, the event-append lock) stop blocking every
      // other node. Its commit then fails, and fencing rejects what that node does next.
      config.setConnectionInitSql("SET idle_in_transaction_session_timeout = '"
          + IDLE_IN_TRANSACTION.toMillis() + "ms'");
    }
    if (metrics != null) config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(metrics));
    return new HikariDataSource(config);
  }

  private static void renew(HikariDataSource pool) {
    var bean = pool.getHikariPoolMXBean();
    if (bean != null) bean.softEvictConnections();
  }

  /** For transactions and writes. On SQLite this is the single writer: never nest two handles. */
  public Jdbi jdbi() {
    return jdbi;
  }

  /** For read-only queries; may run concurrently with writes. */
  public Jdbi reads() {
    return reads;
  }

  public Dialect dialect() {
    return dialect;
  }

  /** The planner statistics kept fresh after bulk loads (PostgreSQL). */
  public PlannerStatistics statistics() {
    return statistics;
  }

  public String schemaVersion() {
    return schemaVersion;
  }

  /** Why the database is out of reach right now, if it is; requests then fail at once. */
  public Optional<StoreUnavailable> outage() {
    return writes.outage().or(readAvailability::outage).map(Availability.Outage::reason);
  }

  /**
   * Whether the database came back from an outage less than {@code window} ago. Leases could not be
   * renewed while it was away, so for a while an expired lease says nothing about its holder.
   */
  public boolean recoveredWithin(Duration window) {
    Instant since = Instant.now().minus(window);
    return outage().isPresent() || writes.lastRecovery().or(readAvailability::lastRecovery)
        .filter(at -> at.isAfter(since)).isPresent();
  }

  /** Runs a trivial query and returns how long it took; throws when the database is unreachable. */
  public Duration ping() {
    long start = System.nanoTime();
    reads.withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** Pool figures for the health report. */
  public PoolStats poolStats() {
    var bean = writer.getHikariPoolMXBean();
    return bean == null ? new PoolStats(0, 0, 0)
        : new PoolStats(bean.getActiveConnections(), bean.getIdleConnections(), bean.getThreadsAwaitingConnection());
  }

  public record PoolStats(int active, int idle, int waiting) {}

  @Override
  public void close() {
    jdbi.getConfig(KeptStatements.class).clear();
    reads.getConfig(KeptStatements.class).clear();
    writes.close();
    readAvailability.close();
    if (reader != writer) reader.close();
    writer.close();
  }
}
