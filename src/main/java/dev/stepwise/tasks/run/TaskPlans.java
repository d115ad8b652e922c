package dev.stepwise.tasks.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.plans.Durations;
import dev.stepwise.tasks.Phase;
import dev.stepwise.tasks.Review;
import dev.stepwise.tasks.Task;
import dev.stepwise.web.Json;
import java.time.Duration;

/**
 * The plan of a task's run: one execution of kind {@code task} whose steps are its phases, the
 * reviews by a person only where the task has them. Thread-safe (stateless).
 */
final class TaskPlans {
  private TaskPlans() {}

  /** @param phaseTimeout how long one phase of the agent may take */
  static ObjectNode of(Task task, Duration phaseTimeout) {
    ObjectNode plan = Json.mapper().createObjectNode().put("name", "task-" + task.id()).put("kind", "task");
    ArrayNode steps = plan.putArray("steps");
    for (Phase phase : Phase.values()) {
      if (phase == Phase.PLANNING_REVIEW && task.review().plan() == Review.Gate.NONE) continue;
      if (phase == Phase.MERGE_REVIEW && task.review().merge() == Review.Gate.NONE) continue;
      ObjectNode step = steps.addObject().put("name", phase.stepName());
      if (phase.agentWork()) step.put("type", "task").put("timeout", Durations.format(phaseTimeout));
      else step.put("type", "approval");
    }
    return plan;
  }
}
