package dev.stepwise.plans;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One step of a plan, validated.
 *
 * @param run shell text for {@code /bin/sh -c}, or {@code null}
 * @param argv a program and its arguments, run without a shell, or empty
 * @param timeout this step's limit, or {@code null} for the execution's
 * @param retries how many times a failed attempt is tried again
 * @param retryDelay the first retry's delay; each further retry waits twice as long
 * @param idempotent whether it may be re-run after a crash interrupted it
 * @param environment where it asks to run ({@link EnvironmentChoice#ANY}: where its plan runs)
 * @param unrunnable for a test step that has no command: why it cannot run (it then fails at once), else {@code null}
 */
public record StepSpec(
    String name,
    StepType type,
    String run,
    List<String> argv,
    boolean requiresApproval,
    Duration timeout,
    int retries,
    Duration retryDelay,
    boolean continueOnError,
    boolean idempotent,
    Map<String, Plan.EnvValue> env,
    HttpSpec http,
    AgentSpec agent,
    EnvironmentChoice environment,
    String unrunnable) {

  public StepSpec {
    argv = List.copyOf(argv);
    env = Map.copyOf(env);
  }

  /** An HTTP step's request. */
  public record HttpSpec(String method, String url, Map<String, String> headers, String body, List<Integer> expectStatus) {
    public HttpSpec {
      headers = Map.copyOf(headers);
      expectStatus = List.copyOf(expectStatus);
    }
  }

  /**
   * What an agent step does: an agent answering a prompt, or one direct tool call (no model) under
   * the same approval policy.
   *
   * @param arguments a direct call's arguments; empty for an agent
   */
  public record AgentSpec(String agent, String prompt, String tool, Map<String, Object> arguments) {
    public AgentSpec {
      arguments = arguments == null ? Map.of()
          : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(arguments));
    }

    public boolean directCall() {
      return tool != null;
    }
  }

  /** This step with another agent's work: how a task's phase hands itself to the agent runtime. */
  public StepSpec withAgent(AgentSpec work) {
    return new StepSpec(name, type, run, argv, requiresApproval, timeout, retries, retryDelay, continueOnError, idempotent,
        env, http, work, environment, unrunnable);
  }

  /** The command as shown to people: the shell text, the argv joined, or the HTTP request line. */
  public String displayCommand() {
    if (run != null) return run;
    if (!argv.isEmpty()) return String.join(" ", argv);
    if (http != null) return http.method() + " " + http.url();
    if (agent != null) return agent.directCall() ? "tool " + agent.tool() : "agent " + agent.agent();
    return null;
  }

  /** Whether a human must decide before it runs. */
  public boolean needsApproval() {
    return requiresApproval || type == StepType.APPROVAL;
  }
}
