package dev.stepwise.plans;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A validated plan: ordered steps and the settings of the execution that runs them. Built only by
 * {@link PlanParser}, so every instance has passed validation. Immutable.
 *
 * @param timeout the whole execution's limit, or {@code null} for none
 * @param environment where its steps run unless a step says otherwise
 * @param approvalTimeout how long a step may wait for a decision, or {@code null} for ever
 */
public record Plan(
    String name,
    ExecutionKind kind,
    int priority,
    Duration timeout,
    EnvironmentChoice environment,
    Map<String, EnvValue> env,
    Duration approvalTimeout,
    OnApprovalTimeout onApprovalTimeout,
    List<StepSpec> steps) {

  public static final int DEFAULT_PRIORITY = 5;

  /** What happens to a step left waiting past {@code approval_timeout}. */
  public enum OnApprovalTimeout { REJECT, FAIL }

  /** An environment variable; secret values are masked in logs and events. */
  public record EnvValue(String value, boolean secret) {}

  public Plan {
    env = Map.copyOf(env);
    steps = List.copyOf(steps);
  }

  /** Where {@code step} asks to run: its own choice, else the plan's. */
  public EnvironmentChoice environmentOf(StepSpec step) {
    return step.environment().isAny() ? environment : step.environment();
  }

  /** Every secret value of the plan and its steps, for masking output. */
  public List<String> secretValues() {
    var secrets = new java.util.ArrayList<String>();
    env.values().stream().filter(EnvValue::secret).map(EnvValue::value).forEach(secrets::add);
    for (StepSpec step : steps) {
      step.env().values().stream().filter(EnvValue::secret).map(EnvValue::value).forEach(secrets::add);
    }
    return secrets;
  }
}
