package dev.stepwise.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.Test;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/** Which failures mean the database itself is in trouble, and what people are told about them. */
class StoreFailuresTest {
  private final StoreFailures postgres = StoreFailures.forUrl("jdbc:postgresql://127.0.0.1:5432/stepwise?user=me&password=pw");
  private final StoreFailures sqlite = StoreFailures.forUrl("jdbc:sqlite:/tmp/x.db");

  private static Exception wrapped(SQLException cause) {
    return new UnableToExecuteStatementException(cause, null);
  }

  @Test
  void connection_trouble_is_named_by_host_and_port_never_by_credentials_or_driver() {
    var refused = postgres.outage(wrapped(new SQLException("Connection to 127.0.0.1:5432 refused", "08001"))).orElseThrow();
    assertThat(refused.kind()).isEqualTo(StoreUnavailable.Kind.UNREACHABLE);
    assertThat(refused.reason()).isEqualTo("database unreachable at 127.0.0.1:5432");
    var terminated = postgres.outage(wrapped(new SQLException("FATAL: terminating connection", "57P01"))).orElseThrow();
    assertThat(terminated.kind()).isEqualTo(StoreUnavailable.Kind.CONNECTION_LOST);
    var notAccepting = postgres.outage(new SQLException("FATAL: database \"x\" is not currently accepting connections",
        "55000")).orElseThrow();
    assertThat(notAccepting.reason()).isEqualTo("the database server at 127.0.0.1:5432 does not accept connections now");
    for (var outage : java.util.List.of(refused, terminated, notAccepting)) {
      assertThat(outage.reason()).doesNotContain("pw").doesNotContain("FATAL").doesNotContain("Exception");
    }
  }

  @Test
  void a_full_disk_is_said_so_on_both_databases() {
    assertThat(postgres.outage(new SQLException("could not extend file", "53100")).orElseThrow().kind())
        .isEqualTo(StoreUnavailable.Kind.DISK_FULL);
    var full = sqlite.outage(wrapped(new SQLiteException("[SQLITE_FULL] database or disk is full",
        SQLiteErrorCode.SQLITE_FULL))).orElseThrow();
    assertThat(full.kind()).isEqualTo(StoreUnavailable.Kind.DISK_FULL);
    assertThat(full.reason()).isEqualTo("the disk holding the SQLite file is full");
  }

  @Test
  void a_pool_timeout_is_unreachable_with_a_connect_failure_behind_it_and_busy_without() {
    var behind = new SQLTransientConnectionException("stepwise - Connection is not available", null,
        new SQLException("refused", "08001"));
    assertThat(postgres.outage(behind).orElseThrow().kind()).isEqualTo(StoreUnavailable.Kind.UNREACHABLE);
    var busy = new SQLTransientConnectionException("stepwise - Connection is not available, request timed out");
    assertThat(postgres.outage(busy).orElseThrow().kind()).isEqualTo(StoreUnavailable.Kind.BUSY);
  }

  @Test
  void a_failure_of_the_statement_itself_is_no_outage() {
    assertThat(postgres.outage(wrapped(new SQLException("duplicate key", "23505")))).isEmpty();
    assertThat(postgres.outage(new IllegalStateException("a bug"))).isEmpty();
    assertThat(sqlite.outage(new SQLiteException("constraint", SQLiteErrorCode.SQLITE_CONSTRAINT))).isEmpty();
  }
}
