package dev.stepwise.orchestrator;

import dev.stepwise.events.EventLog;
import dev.stepwise.executions.Executions;
import dev.stepwise.plans.StoredPlans;
import dev.stepwise.runners.Runners;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What the engine's parts share on one node.
 *
 * @param workRoot where each execution gets its working directory
 * @param defaultStepTimeout the limit of a step that sets none (within the execution's own limit)
 * @param outputLimits how much of one step's output is kept, and how long a line its live events carry
 * @param stepListeners told of each step's final outcome, in its transaction
 * @param workers how many steps run on this node at once
 */
record EngineContext(EventLog log, Executions executions, Runners runners, StoredPlans plans, String nodeId,
    Path workRoot, Duration defaultStepTimeout, StepOutput.Limits outputLimits, RunningExecutions running,
    java.util.List<StepListener> stepListeners, Workers workers) {}
