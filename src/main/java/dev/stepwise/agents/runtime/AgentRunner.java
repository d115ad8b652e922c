package dev.stepwise.agents.runtime;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.stepwise.agents.AgentDefinition;
import dev.stepwise.agents.Agents;
import dev.stepwise.agents.ApprovalMode;
import dev.stepwise.agents.Tool;
import dev.stepwise.agents.models.ModelClient;
import dev.stepwise.agents.models.ModelClients;
import dev.stepwise.agents.tools.AgentTools;
import dev.stepwise.agents.tools.ToolContext;
import dev.stepwise.agents.tools.ToolResult;
import dev.stepwise.chat.Message;
import dev.stepwise.chat.Threads;
import dev.stepwise.events.EventLog;
import dev.stepwise.plans.Durations;
import dev.stepwise.plans.StepSpec;
import dev.stepwise.runners.OutputSink;
import dev.stepwise.runners.StepOutcome;
import dev.stepwise.runners.StepRun;
import dev.stepwise.runners.StepRunner;
import dev.stepwise.web.Json;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs agent steps: the tool-calling loop of DESIGN.md. Each model turn and each tool call is
 * checkpointed, in the transaction of the event that reports it, before the next thing happens;
 * every such transaction first checks that this node still holds the execution, so a fenced-off
 * node writes nothing. A run that starts again (after a decision, a restart or a rescue) rebuilds
 * its conversation from the checkpoint and goes on. A tool call found running after a restart is
 * never run again: the model is told it was interrupted. A call that needs a decision parks the
 * execution. Tool output is masked with the plan's secrets before it is kept, shown or sent to
 * the model. Thread-safe.
 */
public final class AgentRunner implements StepRunner {
  /** How many earlier messages of a thread a run sees. */
  static final int HISTORY = 50;

  private final EventLog log;
  private final AgentRuns runs;
  private final Agents agents;
  private final ModelClients models;
  private final AgentTools tools;
  private final Threads threads;

  public AgentRunner(EventLog log, AgentRuns runs, Agents agents, ModelClients models, AgentTools tools, Threads threads) {
    this.log = log;
    this.runs = runs;
    this.agents = agents;
    this.models = models;
    this.tools = tools;
    this.threads = threads;
  }

  @Override
  public StepOutcome run(StepRun step, OutputSink output) throws InterruptedException {
    StepSpec.AgentSpec spec = step.spec().agent();
    if (spec == null) return new StepOutcome.Failed(null, "an agent step needs an agent and a prompt, or a tool call");
    return new Pass(step, output, spec, null).run();
  }

  /**
   * Runs a step with an agent defined by the caller rather than named in the step (a coding task's
   * phase, whose tools and approvals follow the task); the step's spec gives the prompt.
   */
  public StepOutcome run(StepRun step, OutputSink output, AgentDefinition agent) throws InterruptedException {
    return new Pass(step, output, step.spec().agent(), agent).run();
  }

  /** The final answer of the agent run of a step, once it has answered. */
  public java.util.Optional<String> reply(long executionId, int stepNumber) {
    return runs.reply(executionId, stepNumber);
  }

  /** One pass of one run, from a (re)start of its step until it ends or parks for a decision. */
  private final class Pass {
    private final StepRun step;
    private final OutputSink output;
    private final StepSpec.AgentSpec spec;
    private final Instant deadline;
    private AgentDefinition agent;
    private ModelClient model;
    private AgentRun run;
    private Path workspace;

    Pass(StepRun step, OutputSink output, StepSpec.AgentSpec spec, AgentDefinition given) {
      this.step = step;
      this.output = output;
      this.spec = spec;
      this.agent = given;
      this.deadline = log.clock().instant().plus(step.timeout());
    }

    StepOutcome run() throws InterruptedException {
      String failure = prepare();
      String name = spec.directCall() ? "tool:" + spec.tool() : spec.agent();
      String label = model == null ? null : model.label();
      String prompt = spec.directCall() ? null : spec.prompt();
      boolean endedBefore = write(tx -> {
        run = runs.open(tx.handle(), step.executionId(), step.stepNumber(), name, tx.now());
        if (run.ended()) return true;
        if (failure != null) {
          if (AgentRuns.markEnded(tx.handle(), run)) AgentEvents.error(tx, run, failureCode(), failure);
        } else if (AgentRuns.markStarted(tx.handle(), run)) {
          AgentEvents.started(tx, run, label, prompt);
        }
        return false;
      });
      if (endedBefore) return endedBefore();
      if (failure != null) return new StepOutcome.Failed(null, failure);
      workspace = run.threadId() == null ? step.workdir()
          : step.workdir().getParent().resolve("threads").resolve(Long.toString(run.threadId()));
      return loop();
    }

    /** Finds the agent and builds its model; the reason when that fails. */
    private String prepare() {
      if (spec.directCall()) {
        agent = direct(spec.tool());
        return null;
      }
      if (agent == null) agent = agents.named(spec.agent()).orElse(null);
      if (agent == null) {
        return "there is no agent named '" + spec.agent() + "'; agents: "
            + String.join(", ", agents.all().stream().map(AgentDefinition::name).toList());
      }
      try {
        model = models.forAgent(agent);
        return null;
      } catch (ModelClient.ModelFailure | IllegalArgumentException e) {
        return e.getMessage();
      }
    }

    private String failureCode() {
      return agent == null ? "unknown_agent" : "model_unavailable";
    }

    private StepOutcome loop() throws InterruptedException {
      List<ToolSpecification> specifications = AgentTools.specifications(agent.tools());
      List<Message> history = run.threadId() == null ? List.of()
          : threads.historyBefore(run.threadId(), run.executionId(), HISTORY);
      while (true) {
        List<AgentRuns.Turn> turns = runs.turns(run);
        List<ToolCall> calls = runs.calls(run);
        var unsettled = calls.stream().filter(c -> !c.status().settled()).findFirst();
        if (unsettled.isPresent()) {
          StepOutcome stop = settle(unsettled.get(), calls);
          if (stop != null) return stop;
          continue; // read the checkpoint again: the call is settled now
        }
        if (!turns.isEmpty() && calls.stream().noneMatch(c -> c.turn() == turns.getLast().turn())) {
          return endedBefore(); // the final answer is recorded, and the run ended with it
        }
        if (step.cancel().cancelled()) return cancelled();
        if (!log.clock().instant().isBefore(deadline)) return timedOut();
        if (spec.directCall()) {
          if (turns.isEmpty()) {
            recordDirectCall();
            continue;
          }
          return endDirectCall(calls.getFirst());
        }
        if (turns.size() >= agent.limits().maxTurns()) {
          return fail("max_turns", "the run reached its limit of " + agent.limits().maxTurns()
              + " model turns without a final answer");
        }
        int turn = turns.size() + 1;
        var deltas = new DeltaStream(log, run, turn, step.fence());
        AiMessage answer;
        try {
          answer = model.next(Conversation.of(agent.systemPrompt(), history, spec.prompt(), turns, calls), specifications,
              deltas::accept, remaining(), step.cancel());
        } catch (ModelClient.ModelFailure e) {
          deltas.close();
          if (step.cancel().cancelled()) return cancelled();
          // the wait for the model was cut short by the run's limit: the run is out of time
          if (!log.clock().instant().isBefore(deadline)) return timedOut();
          return fail("model_error", e.getMessage());
        }
        deltas.close();
        StepOutcome end = record(turn, answer, !deltas.streamed(), turns.size() + 1, executed(calls));
        if (end != null) return end;
      }
    }

    /** Checkpoints a turn; a turn without calls is the final answer and ends the run. */
    private StepOutcome record(int turn, AiMessage answer, boolean reportWhole, int turns, int toolCalls) {
      List<ToolCall> asked = new ArrayList<>();
      List<ToolExecutionRequest> requests = answer.hasToolExecutionRequests() ? answer.toolExecutionRequests() : List.of();
      for (int i = 0; i < requests.size(); i++) {
        ToolExecutionRequest request = requests.get(i);
        String id = request.id() == null || request.id().isBlank() ? "call-" + turn + "-" + (i + 1) : request.id();
        asked.add(new ToolCall(turn, i, id, request.name() == null ? "" : request.name(), arguments(request.arguments()),
            ToolCall.Status.PROPOSED, null, null, null, null));
      }
      String text = answer.text();
      String said = answer.thinking() != null ? answer.thinking() : asked.isEmpty() ? null : text;
      output.line("[turn " + turn + "] " + (asked.isEmpty() ? "answered"
          : "asked for " + String.join(", ", asked.stream().map(ToolCall::tool).toList())));
      return write(tx -> {
        AgentRuns.recordTurn(tx.handle(), run, new AgentRuns.Turn(turn, text, answer.thinking()), asked, tx.now());
        if (reportWhole && said != null && !said.isBlank()) AgentEvents.thinking(tx, run, turn, said, false);
        if (!asked.isEmpty()) return null;
        completeIn(tx, text == null ? "" : text, turns, toolCalls);
        return new StepOutcome.Succeeded(null);
      });
    }

    private void recordDirectCall() {
      var call = new ToolCall(1, 0, "direct-1", spec.tool(), spec.arguments(), ToolCall.Status.PROPOSED, null, null,
          null, null);
      write(tx -> {
        AgentRuns.recordTurn(tx.handle(), run, new AgentRuns.Turn(1, null, null), List.of(call), tx.now());
        return null;
      });
    }

    /**
     * Moves the first unsettled call on: refuses it, parks for a decision on it, reports it
     * interrupted, or runs it. Returns non-null to stop the pass.
     */
    private StepOutcome settle(ToolCall call, List<ToolCall> calls) throws InterruptedException {
      switch (call.status()) {
        case RUNNING -> {
          settleWithout(call, ToolCall.Status.RUNNING, ToolCall.Status.INTERRUPTED, "The call was interrupted when the "
              + "server stopped. It was not run again, and its outcome is unknown.");
          return null;
        }
        case APPROVED -> {
          return execute(call, ToolCall.Status.APPROVED);
        }
        case PROPOSED -> {
          String refusal = !agent.tools().contains(call.tool())
              ? "agent '" + agent.name() + "' has no tool '" + call.tool() + "'; its tools: " + String.join(", ", agent.tools())
              : tools.invalid(call.tool(), call.arguments());
          if (refusal != null) {
            settleWithout(call, ToolCall.Status.PROPOSED, ToolCall.Status.REFUSED, refusal);
            return null;
          }
          if (executed(calls) >= agent.limits().maxToolCalls()) {
            return fail("max_tool_calls", "the run reached its limit of " + agent.limits().maxToolCalls() + " tool calls");
          }
          ApprovalMode mode = agent.approvalPolicy().getOrDefault(call.tool(),
              Tool.named(call.tool()).orElseThrow().defaultApproval());
          if (tools.needsApproval(mode, call.tool(), call.arguments())) {
            // the engine parks the step on this call, in one transaction with approval.requested
            output.line("[waiting] " + call.tool() + " needs a decision: " + Json.mapper().valueToTree(call.arguments()));
            return new StepOutcome.AwaitingApproval(call.key(), call.tool(), call.arguments());
          }
          return execute(call, ToolCall.Status.PROPOSED);
        }
        default -> throw new IllegalStateException("call " + call.callId() + " is already settled");
      }
    }

    private StepOutcome execute(ToolCall call, ToolCall.Status from) throws InterruptedException {
      if (step.cancel().cancelled()) return cancelled();
      Duration left = remaining();
      if (left.isZero()) return timedOut();
      boolean moved = write(tx -> {
        if (!AgentRuns.move(tx.handle(), run, call, from, ToolCall.Status.RUNNING, null, null, tx.now())) return false;
        AgentEvents.toolExecuting(tx, run, call, step.machine());
        return true;
      });
      if (!moved) throw new IllegalStateException("call " + call.callId() + " changed under its run");
      ToolResult result = tools.run(call.tool(), call.arguments(), new ToolContext(run.executionId(), run.stepNumber(),
          workspace, step.env(), left, step.cancel(), output, step.mark(), step.secrets(), step.machine()));
      ToolCall.Status to = result.refused() ? ToolCall.Status.REFUSED : ToolCall.Status.COMPLETED;
      String told = step.secrets().mask(result.output());
      write(tx -> {
        if (AgentRuns.move(tx.handle(), run, call, ToolCall.Status.RUNNING, to, told, result.exitCode(), tx.now())) {
          AgentEvents.toolCompleted(tx, run, call, to, told, result.exitCode());
        }
        return null;
      });
      return step.cancel().cancelled() ? cancelled() : null;
    }

    private void settleWithout(ToolCall call, ToolCall.Status from, ToolCall.Status to, String told) {
      write(tx -> {
        if (AgentRuns.move(tx.handle(), run, call, from, to, told, null, tx.now())) {
          AgentEvents.toolCompleted(tx, run, call, to, told, null);
        }
        return null;
      });
    }

    /**
     * A direct call ends with its call: completed when the tool ran (the step fails like a command
     * step when the command exits non-zero), rejected when a person refused it, an error when it
     * was refused by the rules or interrupted.
     */
    private StepOutcome endDirectCall(ToolCall call) {
      String told = Conversation.told(call);
      if (call.status() == ToolCall.Status.REJECTED) {
        // the step is nothing but this call: refused, it is rejected, as a refused gate is
        fail(call.status().wireName(), told);
        return new StepOutcome.Rejected(told);
      }
      if (call.status() != ToolCall.Status.COMPLETED) return fail(call.status().wireName(), told);
      return write(tx -> {
        completeIn(tx, told, 1, 1);
        Integer exit = call.exitCode();
        return exit == null || exit == 0 ? new StepOutcome.Succeeded(exit)
            : new StepOutcome.Failed(exit, "exited with code " + exit);
      });
    }

    private void completeIn(EventLog.Tx tx, String reply, int turns, int toolCalls) {
      if (!AgentRuns.markEnded(tx.handle(), run)) return;
      if (run.threadId() != null) Threads.append(tx.handle(), run.threadId(), "assistant", reply, run.executionId(), tx.now());
      AgentEvents.completed(tx, run, reply, turns, toolCalls);
    }

    private StepOutcome fail(String code, String message) {
      write(tx -> {
        if (AgentRuns.markEnded(tx.handle(), run)) AgentEvents.error(tx, run, code, message);
        return null;
      });
      return new StepOutcome.Failed(null, message);
    }

    /**
     * Stopped: a cancel request ends the run here; a lost lease or a shutdown leaves the run open
     * for whichever node resumes it from the checkpoint.
     */
    private StepOutcome cancelled() {
      if (runs.cancelRequested(run.executionId())) fail("cancelled", "the run was cancelled");
      return new StepOutcome.Cancelled();
    }

    private StepOutcome timedOut() {
      fail("timeout", "the run ran longer than its limit of " + Durations.format(step.timeout()));
      return new StepOutcome.TimedOut(step.timeout());
    }

    /** A run found ended when its step starts again: it crashed between its last event and the step's end. */
    private StepOutcome endedBefore() {
      List<AgentRuns.Turn> turns = runs.turns(run);
      List<ToolCall> calls = runs.calls(run);
      boolean answered = spec.directCall()
          ? calls.stream().anyMatch(c -> c.status() == ToolCall.Status.COMPLETED)
          : !turns.isEmpty() && calls.stream().noneMatch(c -> c.turn() == turns.getLast().turn());
      return answered ? new StepOutcome.Succeeded(null)
          : new StepOutcome.Failed(null, "the agent run had already ended with an error");
    }

    /** The time left before the deadline, in whole milliseconds rounded up: a wait this long ends past it. */
    private Duration remaining() {
      Duration left = Duration.between(log.clock().instant(), deadline);
      return left.isNegative() ? Duration.ZERO : Duration.ofMillis((left.toNanos() + 999_999) / 1_000_000);
    }

    /** One transaction of this run, refused when this node no longer holds the execution. */
    private <T> T write(EventLog.Work<T> work) {
      return log.transact(tx -> {
        step.fence().accept(tx.handle());
        return work.run(tx);
      });
    }
  }

  /** Calls that ran (or started to): what counts against {@code max_tool_calls}. */
  private static int executed(List<ToolCall> calls) {
    return (int) calls.stream().filter(c -> c.status() == ToolCall.Status.RUNNING || c.status() == ToolCall.Status.COMPLETED
        || c.status() == ToolCall.Status.INTERRUPTED).count();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> arguments(String json) {
    if (json == null || json.isBlank()) return Map.of();
    try {
      Object value = Json.mapper().readValue(json, Object.class);
      if (value instanceof Map<?, ?> map) return new LinkedHashMap<>((Map<String, Object>) map);
    } catch (java.io.IOException e) {
      // the model wrote something that is no JSON object: keep it so that the refusal can say so
    }
    return Map.of("invalid_arguments", json.length() > 2000 ? json.substring(0, 2000) : json);
  }

  /** A direct call of one tool: no model, the tool's own approval policy, one call. */
  private static AgentDefinition direct(String tool) {
    List<String> only = Tool.named(tool).isPresent() ? List.of(tool) : List.of();
    return new AgentDefinition("tool:" + tool, "A direct call of " + tool, null, null, only, Map.of(),
        new AgentDefinition.Limits(1, 1, AgentDefinition.Limits.DEFAULT.timeout()), "built-in");
  }
}
