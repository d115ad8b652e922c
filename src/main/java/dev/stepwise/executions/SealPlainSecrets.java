package dev.stepwise.executions;

import dev.stepwise.plans.StoredPlans;
import dev.stepwise.store.Database;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seals, once at start, the secret values that plans stored by an earlier version kept in plain
 * text, so that no secret stays readable in the database after an upgrade. Each row is rewritten
 * with a compare-and-set on its old text, so nodes starting together cannot clash. Thread-safe.
 */
public final class SealPlainSecrets {
  private static final Logger log = LoggerFactory.getLogger(SealPlainSecrets.class);
  private static final int BATCH = 500;

  private SealPlainSecrets() {}

  /** Returns how many stored plans were sealed. */
  public static int run(Database db, StoredPlans plans) {
    int sealed = 0;
    long after = 0;
    while (true) {
      long from = after;
      List<Row> rows = db.reads().withHandle(h -> h.createQuery("""
              SELECT id, plan_json FROM executions WHERE id > :after AND plan_json LIKE '%"secret":true%'
              ORDER BY id LIMIT :batch""")
          .bind("after", from).bind("batch", BATCH).map((rs, ctx) -> new Row(rs.getLong("id"), rs.getString("plan_json")))
          .list());
      for (Row row : rows) {
        if (!plans.holdsPlainSecrets(row.planJson())) continue;
        String resealed = plans.reseal(row.planJson());
        sealed += db.jdbi().withHandle(h -> h.createUpdate(
                "UPDATE executions SET plan_json = :sealed WHERE id = :id AND plan_json = :old")
            .bind("sealed", resealed).bind("id", row.id()).bind("old", row.planJson()).execute());
      }
      if (rows.size() < BATCH) break;
      after = rows.getLast().id();
    }
    if (sealed > 0) log.info("sealed the secret values of {} stored plan(s) that an earlier version kept in plain text", sealed);
    return sealed;
  }

  private record Row(long id, String planJson) {}
}
