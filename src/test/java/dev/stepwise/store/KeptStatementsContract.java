package dev.stepwise.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Statements kept open on their connection, run against each dialect by an empty subclass. */
abstract class KeptStatementsContract {
  private static final String INSERT = "INSERT INTO users (username, password_hash, role, created_at, updated_at) "
      + "VALUES (:name, 'x', :role, :at, :at)";
  private static final String NAMES = "SELECT username FROM users WHERE role = :role AND created_at >= :at "
      + "AND username <> 'it''s: not :a parameter' ORDER BY username";

  private TestDatabase database;
  private Database db;

  abstract TestDatabase newDatabase();

  @BeforeEach
  void open() {
    database = newDatabase();
    db = Database.open(database.url(), 2, null);
  }

  @AfterEach
  void close() {
    db.close();
    database.close();
  }

  @Test
  void a_statement_is_prepared_once_per_connection_and_bound_afresh_each_time() {
    List<PreparedStatement> used = new ArrayList<>();
    List<String> names = db.jdbi().inTransaction(h -> {
      for (String name : List.of("ada", "bob", "cy")) {
        KeptStatements.with(h, INSERT, statement -> {
          used.add(statement.prepared());
          return statement.bind(Map.of("name", name, "role", name.equals("cy") ? "viewer" : "operator", "at", 5L))
              .prepared().executeUpdate();
        });
      }
      names(h, "viewer", 0);
      return names(h, "operator", 5);
    });

    assertThat(names).containsExactly("ada", "bob");
    assertThat(used).hasSize(3).containsOnly(used.getFirst());
    List<String> viewers = db.jdbi().inTransaction(h -> names(h, "viewer", 0));
    assertThat(viewers).containsExactly("cy");
  }

  @Test
  void a_statement_that_failed_is_prepared_again_and_all_go_when_the_database_closes() throws Exception {
    db.jdbi().useTransaction(h -> insert(h, "ada"));
    PreparedStatement before = db.jdbi().inTransaction(h -> KeptStatements.with(h, INSERT, s -> s.prepared()));

    // the same name twice breaks the unique constraint: the failure leaves as JDBI's, the statement goes
    assertThatThrownBy(() -> db.jdbi().useTransaction(h -> insert(h, "ada")))
        .isInstanceOf(UnableToExecuteStatementException.class);
    PreparedStatement after = db.jdbi().inTransaction(h -> KeptStatements.with(h, INSERT, s -> s.prepared()));
    assertThat(after).isNotSameAs(before);
    assertThat(before.isClosed()).isTrue();
    db.jdbi().useTransaction(h -> insert(h, "bob"));
    List<String> operators = db.jdbi().inTransaction(h -> names(h, "operator", 0));
    assertThat(operators).containsExactly("ada", "bob");

    Connection first = db.jdbi().withHandle(h -> {
      names(h, "operator", 0);
      return h.getConnection().unwrap(Connection.class);
    });
    KeptStatements kept = db.jdbi().getConfig(KeptStatements.class);
    assertThat(kept.keeps(first)).isTrue();
    db.close();
    assertThat(kept.keeps(first)).as("closing the database lets its statements go").isFalse();
    assertThat(after.isClosed()).isTrue();
    db = Database.open(database.url(), 2, null);
  }

  @Test
  void a_parameter_left_without_a_value_or_bound_by_name_to_a_question_mark_is_refused_and_nothing_is_written() {
    assertThatThrownBy(() -> db.jdbi().useTransaction(h -> KeptStatements.with(h, INSERT,
        s -> s.bind(Map.of("name", "ada", "role", "operator")).prepared().executeUpdate())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(":at");
    assertThatThrownBy(() -> db.jdbi().useTransaction(h -> KeptStatements.with(h, "INSERT INTO users (username, "
        + "password_hash, role, created_at, updated_at) VALUES (?, 'x', 'operator', 1, 1)",
        s -> s.bind(Map.of("name", "bob")).prepared().executeUpdate())))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("bound by position");
    List<String> operators = db.jdbi().inTransaction(h -> names(h, "operator", 0));
    assertThat(operators).isEmpty();
  }

  private static void insert(Handle h, String name) {
    KeptStatements.with(h, INSERT, s -> s.bind(Map.of("name", name, "role", "operator", "at", 1L)).prepared()
        .executeUpdate());
  }

  private static List<String> names(Handle h, String role, long since) {
    return KeptStatements.with(h, NAMES, statement -> {
      List<String> names = new ArrayList<>();
      try (ResultSet rs = statement.bind(Map.of("role", role, "at", since)).prepared().executeQuery()) {
        while (rs.next()) names.add(rs.getString(1));
      }
      return names;
    });
  }
}
