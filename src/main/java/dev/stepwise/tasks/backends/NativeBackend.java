package dev.stepwise.tasks.backends;

import dev.stepwise.agents.AgentDefinition;
import dev.stepwise.agents.ApprovalMode;
import dev.stepwise.agents.runtime.AgentRunner;
import dev.stepwise.app.Config;
import dev.stepwise.plans.StepSpec;
import dev.stepwise.runners.StepOutcome;
import dev.stepwise.tasks.Phase;
import dev.stepwise.tasks.ToolApproval;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code native} backend: Stepwise's own agent runtime (the tool loop of agent steps, with its
 * checkpoints, so that a phase cut short by a restart resumes where it was) on the server's model,
 * with the workspace tools and {@code shell} working in the task's worktree. Planning may only
 * read; the review may read and run commands; the work may also write. The task's approval
 * policy decides which writes and commands wait for a person. Thread-safe.
 */
public final class NativeBackend implements AgentBackend {
  private final AgentRunner runner;
  private final Config.Model model;

  public NativeBackend(AgentRunner runner, Config.Model model) {
    this.runner = runner;
    this.model = model;
  }

  @Override
  public String name() {
    return "native";
  }

  @Override
  public String unavailable() {
    return model.configured() ? null : "the native agent needs a model: set model.provider, model.base_url and "
        + "model.name (or STEPWISE_MODEL_PROVIDER, STEPWISE_MODEL_BASE_URL and STEPWISE_MODEL_NAME)";
  }

  @Override
  public PhaseResult run(PhaseWork work) throws InterruptedException {
    AgentDefinition agent = agentFor(work.phase(), work.task().approval(), work);
    StepSpec spec = work.step().spec().withAgent(new StepSpec.AgentSpec(agent.name(), work.prompt(), null, Map.of()));
    StepOutcome outcome = runner.run(work.step().with(spec, work.worktree()), work.output(), agent);
    String reply = outcome instanceof StepOutcome.Succeeded
        ? runner.reply(work.step().executionId(), work.step().stepNumber()).orElse(null) : null;
    return new PhaseResult(outcome, reply);
  }

  /** The agent of a phase: its tools, and which of their calls wait for a person. */
  private AgentDefinition agentFor(Phase phase, ToolApproval approval, PhaseWork work) {
    Map<String, ApprovalMode> policy = new LinkedHashMap<>();
    policy.put("read_file", ApprovalMode.NEVER);
    policy.put("list_files", ApprovalMode.NEVER);
    if (phase != Phase.PLANNING) policy.put("shell", approval.shell());
    if (phase.writes()) policy.put("write_file", approval.edit());
    String role = switch (phase) {
      case PLANNING -> "You plan changes to a software repository. You can read its files; you change nothing.";
      case IN_PROGRESS -> "You are a careful software engineer changing a repository with your tools: read files, "
          + "write whole files with write_file, run commands with shell (in the repository's directory).";
      case AI_REVIEW -> "You review changes to a software repository: read files, run its checks with shell, and "
          + "judge the work. You change nothing.";
      default -> throw new IllegalArgumentException(phase + " is a person's review");
    };
    var spec = new AgentDefinition.ModelSpec(model.provider(), model.baseUrl(), model.name(), null, List.of());
    return new AgentDefinition("task-" + phase.stepName(), "The " + phase.stepName() + " phase of task "
        + work.task().id(), spec, role, List.copyOf(policy.keySet()), policy,
        new AgentDefinition.Limits(60, 200, work.step().timeout()), "built-in");
  }
}
