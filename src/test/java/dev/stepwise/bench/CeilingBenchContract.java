package dev.stepwise.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.store.Database;
import dev.stepwise.testing.StoreFixture;
import dev.stepwise.testing.TestDatabase;
import dev.stepwise.web.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The ceiling writes the engine's own rows: copies of an execution the engine ran, each ended with
 * the four events a single-step run appends, with the data the engine gives them and the copy's id.
 */
abstract class CeilingBenchContract {
  private static final int COPIES = 7;

  private StoreFixture store;
  private Database db;
  private long template;

  abstract TestDatabase newDatabase();

  @BeforeEach
  void open() {
    store = new StoreFixture(newDatabase());
    db = store.db;
    template = db.jdbi().inTransaction(h -> {
      long id = h.createQuery("""
              INSERT INTO executions (name, kind, status, priority, plan_json, labels, created_by_name, created_at,
                queued_at, started_at, finished_at, run_after, fence)
              VALUES ('bench', 'command', 'completed', 0, '{"name":"bench","steps":[{"name":"a","type":"noop"}]}',
                '[]', 'admin', 1000, 1000, 1001, 1002, 0, 1) RETURNING id""").mapTo(Long.class).one();
      h.createUpdate("""
          INSERT INTO steps (execution_id, step_number, name, step_type, requires_approval, status, attempts)
          VALUES (:id, 1, 'a', 'noop', FALSE, 'succeeded', 1)""").bind("id", id).execute();
      return id;
    });
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void each_copy_ends_with_the_engines_four_events_under_its_own_id() throws Exception {
    List<Double> rounds = CeilingBench.run(db, COPIES, 2, template);

    assertThat(rounds).hasSize(2);
    List<Map<String, Object>> copies = db.jdbi().withHandle(h -> h.createQuery("""
        SELECT id, status, plan_json FROM executions WHERE name = 'ceiling' ORDER BY id""").mapToMap().list());
    String plan = db.jdbi().withHandle(h -> h.createQuery("SELECT plan_json FROM executions WHERE id = :id")
        .bind("id", template).mapTo(String.class).one());
    assertThat(copies).as("a warm-up round and two rounds").hasSize(3 * COPIES).allSatisfy(copy -> {
      assertThat(copy.get("status")).isEqualTo("completed");
      assertThat(copy.get("plan_json")).as("the template's plan").isEqualTo(plan);
    });
    List<Map<String, Object>> steps = db.jdbi().withHandle(h -> h.createQuery("""
        SELECT s.name, s.step_type, s.status FROM steps s JOIN executions e ON e.id = s.execution_id
        WHERE e.name = 'ceiling'""").mapToMap().list());
    assertThat(steps).as("the template's step, passed, in each copy").hasSize(3 * COPIES)
        .allSatisfy(step -> assertThat(step).containsEntry("name", "a").containsEntry("step_type", "noop")
            .containsEntry("status", "succeeded"));
    for (Map<String, Object> copy : copies) {
      long id = ((Number) copy.get("id")).longValue();
      List<Map<String, Object>> events = db.jdbi().withHandle(h -> h.createQuery(
          "SELECT type, data FROM events WHERE topic = :topic ORDER BY id").bind("topic", "execution:" + id)
          .mapToMap().list());
      assertThat(events).extracting(e -> e.get("type"))
          .containsExactly("execution.started", "step.started", "step.completed", "execution.completed");
      for (Map<String, Object> event : events) {
        ObjectNode data = (ObjectNode) Json.mapper().readTree(String.valueOf(event.get("data")));
        assertThat(data.path("execution_id").asLong()).as(data.toString()).isEqualTo(id);
        assertThat(data.size()).as("the engine's fields, not a stand-in: " + data).isGreaterThan(3);
      }
    }
  }
}
