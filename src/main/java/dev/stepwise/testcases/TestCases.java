package dev.stepwise.testcases;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.stepwise.store.Columns;
import dev.stepwise.store.Database;
import dev.stepwise.store.Like;
import dev.stepwise.store.Page;
import dev.stepwise.web.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** The test case store. Thread-safe. */
public final class TestCases {
  private static final String COLUMNS = "id, name, description, subsystem, file_path, function_name, source, generator, "
      + "command, expected, tags, created_by, created_at, updated_at, last_result, flaky";

  private final Database db;
  private final Clock clock;

  public TestCases(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  /** The fields a person or a generator sets. */
  public record Fields(String name, String description, String subsystem, String filePath, String functionName,
      String command, String expected, List<String> tags) {}

  public TestCase create(Fields fields, String source, String generator, String createdBy) {
    long id = db.jdbi().withHandle(h -> insert(h, fields, source, generator, createdBy));
    return find(id).orElseThrow();
  }

  /** Inserts inside the caller's transaction; returns the new id. */
  public long insert(Handle h, Fields fields, String source, String generator, String createdBy) {
    long now = clock.millis();
    return h.createQuery("""
            INSERT INTO test_cases (name, description, subsystem, file_path, function_name, source, generator, command,
              expected, tags, created_by, created_at, updated_at)
            VALUES (:name, :description, :subsystem, :filePath, :functionName, :source, :generator, :command,
              :expected, :tags, :createdBy, :now, :now) RETURNING id""")
        .bindMethods(fields).bind("tags", tags(fields.tags())).bind("source", source).bind("generator", generator)
        .bind("createdBy", createdBy).bind("now", now).mapTo(Long.class).one();
  }

  /** The test cases with these ids, in the order given; unknown ids are left out. */
  public List<TestCase> findAll(Handle h, List<Long> ids) {
    if (ids.isEmpty()) return List.of();
    java.util.Map<Long, TestCase> byId = new java.util.HashMap<>();
    h.createQuery("SELECT " + COLUMNS + " FROM test_cases WHERE id IN (<ids>)").bindList("ids", ids)
        .map(TestCases::map).forEach(c -> byId.put(c.id(), c));
    return ids.stream().map(byId::get).filter(java.util.Objects::nonNull).toList();
  }

  public Optional<TestCase> find(long id) {
    return db.reads().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM test_cases WHERE id = :id")
        .bind("id", id).map(TestCases::map).findOne());
  }

  /** In id order; {@code name}, when given, is a part of the name in any case. */
  public Page<TestCase> list(String subsystem, String name, long afterId, int limit) {
    List<TestCase> rows = db.reads().withHandle(h -> h.createQuery("SELECT " + COLUMNS + " FROM test_cases WHERE id > :after"
            + (subsystem == null ? "" : " AND subsystem = :subsystem")
            + (Like.given(name) ? " AND " + Like.condition("name", "name") : "") + " ORDER BY id LIMIT :limit")
        .bind("after", afterId).bind("subsystem", subsystem).bind("name", Like.given(name) ? Like.contains(name) : null)
        .bind("limit", limit + 1).map(TestCases::map).list());
    return Page.of(rows, limit, TestCase::id);
  }

  /** Replaces the editable fields; empty when there is no such test case. */
  public Optional<TestCase> update(long id, Fields fields) {
    int rows = db.jdbi().withHandle(h -> h.createUpdate("""
            UPDATE test_cases SET name = :name, description = :description, subsystem = :subsystem,
              file_path = :filePath, function_name = :functionName, command = :command, expected = :expected,
              tags = :tags, updated_at = :now
            WHERE id = :id""")
        .bindMethods(fields).bind("tags", tags(fields.tags())).bind("now", clock.millis()).bind("id", id).execute());
    return rows == 1 ? find(id) : Optional.empty();
  }

  /** Deletes the case and its run history; executions that run it keep their own copy of its command. */
  public boolean delete(long id) {
    return db.jdbi().inTransaction(h -> {
      h.createUpdate("DELETE FROM test_runs WHERE test_case_id = :id").bind("id", id).execute();
      return h.createUpdate("DELETE FROM test_cases WHERE id = :id").bind("id", id).execute() == 1;
    });
  }

  private static String tags(List<String> tags) {
    return new String(Json.write(tags == null ? List.of() : tags), StandardCharsets.UTF_8);
  }

  private static TestCase map(ResultSet rs, StatementContext ctx) throws SQLException {
    try {
      String lastResult = rs.getString("last_result");
      return new TestCase(rs.getLong("id"), rs.getString("name"), rs.getString("description"), rs.getString("subsystem"),
          rs.getString("file_path"), rs.getString("function_name"), rs.getString("source"), rs.getString("generator"),
          rs.getString("command"), rs.getString("expected"),
          Json.mapper().readValue(rs.getString("tags"), new TypeReference<List<String>>() {}),
          rs.getString("created_by"), Columns.instant(rs, "created_at"), Columns.instant(rs, "updated_at"),
          lastResult == null ? null : Json.mapper().readTree(lastResult), rs.getBoolean("flaky"), null);
    } catch (IOException e) {
      throw new IllegalStateException("a stored test case holds malformed JSON", e);
    }
  }
}
