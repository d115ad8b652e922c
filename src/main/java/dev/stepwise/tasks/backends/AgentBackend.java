package dev.stepwise.tasks.backends;

/**
 * What does the agent's phases of a task (planning, the work, the AI review): {@code opencode},
 * the OpenCode CLI, or {@code native}, Stepwise's own agent runtime. One implementation per
 * backend, shared by every task; thread-safe.
 */
public interface AgentBackend {
  /** The name a task's {@code agent} field gives it. */
  String name();

  /** Why this server cannot run the backend now (not installed, no model), or {@code null} when it can. */
  String unavailable();

  /**
   * Does one phase in the task's worktree, writing its activity to the session as it goes. Returns
   * when the phase has ended, has been stopped, or waits for a person's decision on one of the
   * agent's actions.
   */
  PhaseResult run(PhaseWork work) throws InterruptedException;
}
