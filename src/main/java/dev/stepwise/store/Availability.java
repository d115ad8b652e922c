package dev.stepwise.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.jdbi.v3.core.ConnectionFactory;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.HandleCallbackDecorator;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The edge between Stepwise and the database's driver. Any failure that shows the database itself
 * in trouble leaves here as a {@link StoreUnavailable} with the reason in words, whoever hit it (a
 * request, the engine, a periodic job): opening a connection, a statement, a commit. And it knows
 * whether the database can be reached, so that nobody waits for it in vain: once a failure shows
 * it out of reach, every later request for a connection fails at once with the reason (a 503 in
 * milliseconds, not a pool timeout), while one background probe opens a fresh connection every
 * half second; the first that works lets requests through again. An outage is logged once with the
 * driver's details, and its end once. Thread-safe.
 */
final class Availability implements ConnectionFactory, SqlLogger, HandleCallbackDecorator, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Availability.class);
  private static final Duration PROBE_EVERY = Duration.ofMillis(500);
  private static final int PROBE_TIMEOUT_S = 2;

  private final DataSource pool;
  private final Runnable renewPool;
  private final AtomicBoolean checking = new AtomicBoolean();
  private final Duration wait;
  private final String url;
  private final StoreFailures failures;
  private final Object lock = new Object();
  private volatile Outage outage;
  private volatile Instant lastRecovery;
  private volatile boolean closed;

  /** Why and since when the database is out of reach. */
  record Outage(StoreUnavailable reason, Instant since) {}

  /**
   * @param renewPool gives up the pool's connections (those in use when they come back), so that
   *     fresh ones are opened
   * @param wait how long a request may wait for a free connection in all
   */
  Availability(DataSource pool, Runnable renewPool, Duration wait, String url, StoreFailures failures) {
    this.pool = pool;
    this.renewPool = renewPool;
    this.wait = wait;
    this.url = url;
    this.failures = failures;
  }

  /** When the database last came back after an outage, if it ever did. */
  Optional<Instant> lastRecovery() {
    return Optional.ofNullable(lastRecovery);
  }

  /** The current outage, if the database is out of reach. */
  Optional<Outage> outage() {
    return Optional.ofNullable(outage);
  }

  /**
   * A connection from the pool. The pool is asked in short rounds ({@link Database#POOL_ROUND}) up
   * to the whole wait, so that a request waiting for a busy pool learns within one round that the
   * database went away meanwhile, instead of waiting out the pool's timeout.
   */
  @Override
  public Connection openConnection() throws SQLException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      Outage current = outage;
      if (current != null) throw current.reason();
      try {
        return pool.getConnection();
      } catch (SQLException e) {
        var found = outageOf(e);
        if (found.isEmpty()) throw e;
        boolean busy = found.get().kind() == StoreUnavailable.Kind.BUSY;
        if (!busy || System.nanoTime() >= deadline) throw found.get();
      }
    }
  }

  /** Giving back a connection that died is no failure of the work done with it. */
  @Override
  public void closeConnection(Connection connection) throws SQLException {
    try {
      connection.close();
    } catch (SQLException e) {
      if (outageOf(e).isEmpty()) throw e;
    }
  }

  @Override
  public <R, X extends Exception> HandleCallback<R, X> decorate(HandleCallback<R, X> callback) {
    HandleCallback<R, X> standard = STANDARD_HANDLE_CALLBACK_DECORATOR.decorate(callback);
    return handle -> {
      try {
        return standard.withHandle(handle);
      } catch (RuntimeException e) {
        var found = outageOf(e);
        if (found.isPresent()) throw found.get();
        throw e;
      }
    };
  }

  /** The outage {@code failure} shows, if any; one that puts the database out of reach is noted. */
  private Optional<StoreUnavailable> outageOf(Exception failure) {
    var found = failures.outage(failure);
    found.filter(u -> u.kind().connectivity()).ifPresent(u -> noticed(u, failure));
    return found;
  }

  /**
   * A connection that was lost says little about the database: the pool's other connections are
   * given up (they may be as dead), and the database counts as out of reach only when a fresh
   * connection cannot be opened either. That check runs in the background, one at a time, so the
   * request or step that hit the failure is answered at once. A database that refuses a new
   * connection is out of reach at once.
   */
  private void noticed(StoreUnavailable reason, Throwable details) {
    if (reason.kind() != StoreUnavailable.Kind.CONNECTION_LOST) {
      down(reason, details);
      return;
    }
    if (outage != null || closed || !checking.compareAndSet(false, true)) return;
    Thread.ofVirtual().name("database-check").start(() -> {
      try {
        renewPool.run();
        if (!probe()) down(reason, details);
      } finally {
        checking.set(false);
      }
    });
  }

  /** Hears of a failed statement at once, before it unwinds: the next request need not try the pool. */
  @Override
  public void logException(StatementContext context, SQLException e) {
    failures.outage(e).filter(u -> u.kind().connectivity()).ifPresent(u -> noticed(u, e));
  }

  /** Marks the database out of reach (once per outage) and starts probing for its return. */
  void down(StoreUnavailable reason, Throwable details) {
    synchronized (lock) {
      if (outage != null || closed) return;
      outage = new Outage(reason, Instant.now());
    }
    log.warn("{}: requests that need the database answer 503 until it is back ({})", reason.reason(),
        firstLine(details));
    Thread.ofVirtual().name("database-probe").start(this::probeUntilBack);
  }

  private void probeUntilBack() {
    while (!closed) {
      Outage current = outage;
      if (current == null) return;
      if (probe()) {
        renewPool.run(); // connections opened before the outage may be dead: new ones are made as needed
        lastRecovery = Instant.now();
        outage = null;
        log.info("the database at {} is reachable again after {} s", failures.location(),
            Duration.between(current.since(), Instant.now()).toSeconds());
        return;
      }
      try {
        Thread.sleep(PROBE_EVERY);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** A fresh connection outside the pool, with short timeouts, and one trivial query. */
  private boolean probe() {
    var properties = new Properties();
    properties.setProperty("connectTimeout", Integer.toString(PROBE_TIMEOUT_S));
    properties.setProperty("socketTimeout", Integer.toString(PROBE_TIMEOUT_S));
    properties.setProperty("loginTimeout", Integer.toString(PROBE_TIMEOUT_S));
    try (Connection connection = DriverManager.getConnection(url, properties);
         var statement = connection.createStatement()) {
      statement.execute("SELECT 1");
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  @Override
  public void close() {
    closed = true;
  }

  private static String firstLine(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) root = root.getCause();
    return String.valueOf(root.getMessage()).lines().findFirst().orElse("");
  }
}
