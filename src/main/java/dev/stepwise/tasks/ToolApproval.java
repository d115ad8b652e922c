package dev.stepwise.tasks;

import dev.stepwise.agents.ApprovalMode;

/**
 * Which of a task's agent actions wait for a person, whichever backend runs it: {@code edit} a
 * file the agent writes or changes, {@code shell} a command it runs ({@code risky}: a command off
 * the server's safe list).
 */
public record ToolApproval(ApprovalMode edit, ApprovalMode shell) {
  public static final ToolApproval DEFAULT = new ToolApproval(ApprovalMode.NEVER, ApprovalMode.RISKY);
}
