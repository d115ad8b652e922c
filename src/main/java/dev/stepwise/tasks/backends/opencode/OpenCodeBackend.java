package dev.stepwise.tasks.backends.opencode;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.agents.tools.AgentTools;
import dev.stepwise.app.Config;
import dev.stepwise.events.EventLog;
import dev.stepwise.plans.Durations;
import dev.stepwise.runners.StepOutcome;
import dev.stepwise.tasks.Phase;
import dev.stepwise.tasks.backends.AgentBackend;
import dev.stepwise.tasks.backends.PhaseResult;
import dev.stepwise.tasks.backends.PhaseWork;
import dev.stepwise.tasks.sessions.ActivityKind;
import dev.stepwise.tasks.sessions.SessionLog;
import dev.stepwise.tasks.sessions.Sessions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code opencode} backend: the real OpenCode CLI, one {@code opencode serve} per node, one
 * OpenCode session per task run, each phase a prompt in it ({@code plan} for planning and review,
 * {@code build} for the work). What OpenCode does arrives on its event stream and is written to
 * the session's activity as it happens; a phase ends when the session goes idle, with the result
 * read back from its messages. OpenCode's permission requests become approvals under the task's
 * policy, and the decision goes back to OpenCode when the step runs again. A phase started again
 * after a restart goes on in the same OpenCode session. Thread-safe.
 */
public final class OpenCodeBackend implements AgentBackend, AutoCloseable {
  /** How many times the model may fail in a row, OpenCode retrying, before the phase fails. */
  public static final int MAX_MODEL_RETRIES = 4;
  private static final Duration LIVENESS_CHECK = Duration.ofSeconds(5);
  private static final Logger logger = LoggerFactory.getLogger(OpenCodeBackend.class);

  private final EventLog log;
  private final Sessions sessions;
  private final AgentPermissions permissions;
  private final OpenCodeConfig config;
  private final OpenCodeServer server;
  private final PermissionPolicy policy;

  /**
   * @param command the OpenCode CLI ({@code tasks.opencode.command})
   * @param home where OpenCode keeps its state ({@code <data-dir>/opencode})
   */
  public OpenCodeBackend(EventLog log, Sessions sessions, AgentPermissions permissions, AgentTools tools,
      Config.Model model, String command, Path home) {
    this.log = log;
    this.sessions = sessions;
    this.permissions = permissions;
    this.config = new OpenCodeConfig(model, home);
    this.server = new OpenCodeServer(command, config);
    this.policy = new PermissionPolicy(tools);
  }

  @Override
  public String name() {
    return "opencode";
  }

  @Override
  public String unavailable() {
    String model = config.modelProblem();
    return model != null ? model : server.installProblem();
  }

  /** What {@code /health} says of OpenCode ({@code components.agent_cli}). */
  public OpenCodeHealth health() {
    return new OpenCodeHealth(server, config);
  }

  @Override
  public PhaseResult run(PhaseWork work) throws InterruptedException {
    OpenCodeServer.Endpoint endpoint;
    try {
      endpoint = server.ensureStarted();
      return new Pass(work, new OpenCodeClient(endpoint, work.worktree())).run();
    } catch (OpenCodeServer.Unavailable e) {
      if (server.stoppedUnexpectedly()) {
        return PhaseResult.failed("OpenCode stopped while it worked on the phase"
            + (server.lastError() == null ? "" : ": " + server.lastError()));
      }
      return PhaseResult.failed(e.getMessage());
    }
  }

  @Override
  public void close() {
    server.close();
  }

  /** One pass of one phase: from a (re)start of its step until it ends or parks for a decision. */
  private final class Pass {
    private final PhaseWork work;
    private final OpenCodeClient client;
    private final Instant deadline;
    private final Set<String> seen = new HashSet<>();
    private String sessionId;
    private String modelError;
    private int retries;
    private final IdleWithoutAnswer idleWithoutAnswer = new IdleWithoutAnswer();
    /** Whether this pass made the OpenCode session. */
    private boolean fresh;

    Pass(PhaseWork work, OpenCodeClient client) {
      this.work = work;
      this.client = client;
      this.deadline = log.clock().instant().plus(work.step().timeout());
    }

    PhaseResult run() throws InterruptedException {
      sessionId = agentSession();
      OpenCodeEvents events = server.events();
      BlockingQueue<OpenCodeEvents.Event> queue = events.follow(sessionId);
      try {
        int answered = sendDecisions();
        // a new OpenCode session (the first phase, or one whose OpenCode state is gone, as on another node) has
        // heard nothing yet: it gets the phase's whole prompt
        boolean prompted = !fresh
            && sessions.promptedStep(work.session().sessionId()).orElse(-1) == work.step().stepNumber();
        if (!prompted) {
          prompt(work.prompt());
        } else if (answered == 0 && !client.busy(sessionId)) {
          // started again with nothing to answer while OpenCode is idle: the phase ended, or was cut short
          PhaseResult ended = ended(true);
          if (ended != null) return ended;
          note("the phase was cut short; OpenCode goes on in the same session");
          client.prompt(sessionId, agent(), config.modelId(), "Continue where you stopped, then answer as asked before.");
        }
        PhaseResult waiting = pendingRequests();
        if (waiting != null) return waiting;
        return follow(queue);
      } finally {
        events.unfollow(sessionId, queue);
      }
    }

    private PhaseResult follow(BlockingQueue<OpenCodeEvents.Event> queue) throws InterruptedException {
      Instant lastCheck = log.clock().instant();
      while (true) {
        if (work.step().cancel().cancelled()) return stop(new StepOutcome.Cancelled(), "the task was cancelled");
        if (!log.clock().instant().isBefore(deadline)) {
          note("the phase ran longer than its limit of " + Durations.format(work.step().timeout()) + "; OpenCode is stopped");
          return stop(new StepOutcome.TimedOut(work.step().timeout()), "the phase ran out of time");
        }
        OpenCodeEvents.Event event = queue.poll(1, TimeUnit.SECONDS);
        if (event == null) {
          if (Duration.between(lastCheck, log.clock().instant()).compareTo(LIVENESS_CHECK) >= 0) {
            lastCheck = log.clock().instant();
            if (!server.running()) {
              return PhaseResult.failed("OpenCode stopped while it worked on the phase"
                  + (server.lastError() == null ? "" : ": " + server.lastError()));
            }
            // a quiet session that is idle and has answered has ended, whether or not its idle event reached us
            PhaseResult ended = endedWhileQuiet();
            if (ended != null) return ended;
          }
          continue;
        }
        if (!event.type().equals(OpenCodeEvents.Event.RECONNECTED)) idleWithoutAnswer.working(); // ours, not OpenCode's
        PhaseResult end = handle(event);
        if (end != null) return end;
      }
    }

    /** Writes what an event reports; non-null when the phase ends or parks with it. */
    private PhaseResult handle(OpenCodeEvents.Event event) {
      JsonNode properties = event.properties();
      switch (event.type()) {
        case "permission.asked" -> {
          return ask(properties);
        }
        case "message.part.updated" -> part(properties.path("part"));
        case "session.status" -> {
          JsonNode status = properties.path("status");
          if (status.path("type").asText().equals("retry")) {
            retries++;
            String message = status.path("message").asText("the model failed");
            record(ActivityKind.ERROR, "the model failed; OpenCode tries again (attempt " + status.path("attempt").asInt(retries)
                + "): " + message, null, Map.of("retry", retries));
            if (retries > MAX_MODEL_RETRIES) {
              return stop(new StepOutcome.Failed(null, "the model kept failing (" + retries + " attempts): " + message),
                  "the model kept failing");
            }
          }
        }
        case "session.error" -> {
          modelError = describe(properties.path("error"));
          record(ActivityKind.ERROR, modelError, null, null);
        }
        case "session.idle" -> {
          return ended(false);
        }
        case OpenCodeEvents.Event.RECONNECTED -> {
          // the session may have ended while the stream was down; what OpenCode asked meanwhile came
          // with no event: it waits in its list
          PhaseResult ended = endedWhileQuiet();
          return ended != null ? ended : pendingRequests();
        }
        default -> {
          // deltas, diffs, status updates: nothing to keep
        }
      }
      return null;
    }

    /**
     * Whether a session whose events are not coming has ended: idle with a finished answer, or idle
     * without one for long enough ({@link IdleWithoutAnswer}); null while it works on, and while
     * OpenCode does not say (a busy OpenCode that does not answer in time).
     */
    private PhaseResult endedWhileQuiet() {
      JsonNode messages;
      try {
        if (client.busy(sessionId)) {
          idleWithoutAnswer.working();
          return null;
        }
        messages = client.messages(sessionId);
      } catch (OpenCodeServer.Unavailable e) {
        logger.info("OpenCode did not say whether session {} has ended ({}); waiting on", sessionId, e.getMessage());
        return null;
      }
      PhaseResult finished = ended(messages, true);
      if (finished != null) {
        logger.info("OpenCode session {} is idle with its answer, and its idle event did not arrive: the phase ends", sessionId);
        return finished;
      }
      JsonNode answer = lastAnswer(messages);
      boolean errorReported = modelError != null || (answer != null && failed(answer));
      if (!idleWithoutAnswer.ends(errorReported, log.clock().instant())) return null;
      logger.info("OpenCode session {} is idle without a finished answer ({}): the phase ends", sessionId,
          errorReported ? "it reported an error" : "for " + IdleWithoutAnswer.GRACE.toSeconds() + " s");
      return ended(messages, false);
    }

    /** A tool part as it moves pending → running → completed (or error); text and reasoning once finished. */
    private void part(JsonNode part) {
      String id = part.path("id").asText();
      switch (part.path("type").asText()) {
        case "tool" -> {
          JsonNode state = part.path("state");
          String status = state.path("status").asText();
          String tool = part.path("tool").asText();
          if (!seen.add(id + ":" + status)) return;
          Map<String, Object> details = new LinkedHashMap<>();
          details.put("call_id", part.path("callID").asText());
          switch (status) {
            case "running" -> {
              details.put("arguments", state.path("input"));
              record(ActivityKind.TOOL_CALL, describeInput(state.path("input")), tool, details);
            }
            case "completed" -> {
              details.put("status", "completed");
              JsonNode exit = state.path("metadata").path("exit");
              if (exit.isNumber()) details.put("exit_code", exit.asInt());
              record(ActivityKind.TOOL_RESULT, state.path("output").asText(""), tool, details);
            }
            case "error" -> {
              details.put("status", "error");
              if (seen.add(id + ":running")) details.put("arguments", state.path("input"));
              record(ActivityKind.TOOL_RESULT, state.path("error").asText(""), tool, details);
            }
            default -> {
              // pending: its input is not known yet
            }
          }
        }
        case "text", "reasoning" -> {
          String text = part.path("text").asText("");
          if (part.path("time").path("end").isMissingNode() || text.isBlank() || !seen.add(id)) return;
          record(part.path("type").asText().equals("text") ? ActivityKind.MESSAGE : ActivityKind.THINKING, text, null,
              null);
        }
        default -> {
          // step markers, patches, snapshots
        }
      }
    }

    /** A permission request of this session: answered at once under the policy, or parked for a person. */
    private PhaseResult ask(JsonNode request) {
      String id = request.path("id").asText();
      String permission = request.path("permission").asText();
      Map<String, Object> arguments = PermissionPolicy.arguments(request, work.worktree());
      var known = permissions.find(work.session().sessionId(), id);
      if (known.isPresent() && known.get().status().equals("sent")) return null;
      switch (policy.answer(work.phase(), work.task().approval(), permission, arguments)) {
        case ALLOW -> {
          // a request asked as this pass began comes both in OpenCode's list and as an event: the second
          // answer finds OpenCode no longer waiting, which is no error
          client.reply(id, "once", null);
          return null;
        }
        case REFUSE -> {
          if (client.reply(id, "reject", "The " + work.phase().stepName() + " phase only reads: change no file now.")) {
            note("refused " + permission + " of " + arguments.getOrDefault("path", id) + ": the "
                + work.phase().stepName() + " phase only reads");
          }
          return null;
        }
        case ASK_PERSON -> {
          // parked below
        }
      }
      write(tx -> AgentPermissions.ask(tx.handle(), work.session().sessionId(), id, work.step().executionId(),
          work.step().stepNumber(), permission, arguments, tx.now()));
      work.output().line("[waiting] OpenCode asks to " + permission + ": " + arguments.getOrDefault("command",
          arguments.getOrDefault("path", id)));
      return new PhaseResult(new StepOutcome.AwaitingApproval(id, permission, arguments), null);
    }

    /** Requests that OpenCode asked while no pass followed the session (two at once, say). */
    private PhaseResult pendingRequests() {
      for (JsonNode request : client.pendingPermissions()) {
        if (!sessionId.equals(request.path("sessionID").asText())) continue;
        PhaseResult parked = ask(request);
        if (parked != null) return parked;
      }
      return null;
    }

    /** Sends the decisions people made on this step's requests; returns how many OpenCode took. */
    private int sendDecisions() {
      int answered = 0;
      for (AgentPermissions.Request request : permissions.decided(work.step().executionId(), work.step().stepNumber())) {
        String by = request.decidedBy() + (request.comment() == null || request.comment().isBlank() ? ""
            : ": " + request.comment());
        boolean took;
        try {
          took = request.approved() ? client.reply(request.permissionId(), "once", null)
              : client.reply(request.permissionId(), "reject", "A person (" + by + ") rejected this. Do not do it; go "
                  + "on without it.");
        } catch (OpenCodeServer.Unavailable e) {
          took = false;
        }
        if (took) answered++;
        else note("OpenCode no longer waits on " + request.permissionId() + " (answered already, or asked before it "
            + "restarted); it goes on without it");
        write(tx -> AgentPermissions.sent(tx.handle(), request.sessionId(), request.permissionId()));
      }
      return answered;
    }

    /**
     * The phase's end, read from the session's messages: its last answer, or the error it ended
     * with. With {@code onlyIfFinished}, {@code null} unless the last answer finished.
     */
    private PhaseResult ended(boolean onlyIfFinished) {
      return ended(client.messages(sessionId), onlyIfFinished);
    }

    private PhaseResult ended(JsonNode messages, boolean onlyIfFinished) {
      JsonNode last = lastAnswer(messages);
      JsonNode prompt = lastPrompt(messages);
      if (last == null) {
        if (onlyIfFinished) return null;
        return PhaseResult.failed(modelError != null ? modelError : "OpenCode went idle without answering");
      }
      JsonNode info = last.path("info");
      if (failed(last)) {
        if (onlyIfFinished) return null;
        return PhaseResult.failed(describe(info.path("error")));
      }
      boolean finished = info.path("time").has("completed") && !info.path("finish").asText("").equals("tool-calls");
      if (!finished) {
        if (onlyIfFinished) return null;
        return PhaseResult.failed(modelError != null ? modelError : "OpenCode stopped before it finished the phase");
      }
      if (prompt != null) {
        // how long OpenCode itself took, from the prompt to its answer: the rest of the phase is Stepwise's
        long agentMillis = info.path("time").path("completed").asLong() - prompt.path("info").path("time").path("created").asLong();
        record(ActivityKind.STATUS, "OpenCode answered in " + agentMillis + " ms", null, Map.of("agent_ms", agentMillis));
      }
      var reply = new StringBuilder();
      for (JsonNode part : last.path("parts")) {
        if (part.path("type").asText().equals("text")) reply.append(reply.isEmpty() ? "" : "\n").append(part.path("text").asText());
      }
      return new PhaseResult(new StepOutcome.Succeeded(null), reply.toString().strip());
    }

    /** The newest prompt of the session's messages, or null. */
    private static JsonNode lastPrompt(JsonNode messages) {
      JsonNode prompt = null;
      for (JsonNode message : messages) {
        if (message.path("info").path("role").asText().equals("user")) prompt = message;
      }
      return prompt;
    }

    /** The newest answer to the newest prompt, or null while there is none. */
    private static JsonNode lastAnswer(JsonNode messages) {
      JsonNode last = null;
      for (JsonNode message : messages) {
        String role = message.path("info").path("role").asText();
        if (role.equals("assistant")) last = message;
        else if (role.equals("user")) last = null;
      }
      return last;
    }

    /** Whether OpenCode wrote an error on the answer. */
    private static boolean failed(JsonNode answer) {
      JsonNode error = answer.path("info").path("error");
      return !error.isMissingNode() && !error.isNull();
    }

    /** Stops OpenCode's work on the session, refusing what it still asks, and ends the pass with {@code outcome}. */
    private PhaseResult stop(StepOutcome outcome, String why) {
      try {
        for (JsonNode request : client.pendingPermissions()) {
          if (sessionId.equals(request.path("sessionID").asText())) {
            client.reply(request.path("id").asText(), "reject", why);
          }
        }
        client.abort(sessionId);
      } catch (OpenCodeServer.Unavailable e) {
        note("OpenCode could not be stopped cleanly: " + e.getMessage());
      }
      return new PhaseResult(outcome, null);
    }

    /** The task run's OpenCode session: the one it has, or a new one. */
    private String agentSession() {
      String known = work.session().agentSessionId();
      if (known == null) known = sessions.find(work.session().sessionId()).map(s -> s.agentSessionId()).orElse(null);
      if (known != null && client.hasSession(known)) return known;
      fresh = true;
      String created = client.createSession("task-" + work.task().id() + ": " + work.task().title());
      write(tx -> {
        Sessions.recordAgentSession(tx.handle(), work.session().sessionId(), created);
        SessionLog.record(tx, work.session(), ActivityKind.STATUS, "OpenCode session " + created + " in "
            + work.worktree(), null, Map.of("agent_session_id", created));
      });
      return created;
    }

    private void prompt(String text) {
      client.prompt(sessionId, agent(), config.modelId(), text);
      write(tx -> Sessions.recordPrompt(tx.handle(), work.session().sessionId(), work.step().stepNumber()));
    }

    private String agent() {
      return work.phase() == Phase.IN_PROGRESS ? "build" : "plan";
    }

    private void note(String text) {
      work.output().line("[opencode] " + text);
      record(ActivityKind.STATUS, text, null, null);
    }

    private void record(ActivityKind kind, String text, String tool, Map<String, Object> details) {
      write(tx -> SessionLog.record(tx, work.session(), kind, work.step().secrets().mask(text), tool, details));
    }

    private void write(Consumer<EventLog.Tx> change) {
      log.transact(tx -> {
        work.step().fence().accept(tx.handle());
        change.accept(tx);
        return null;
      });
    }
  }

  private static String describeInput(JsonNode input) {
    for (String field : new String[] {"command", "filePath", "path", "pattern", "url"}) {
      if (input.path(field).isTextual()) return input.path(field).asText();
    }
    return input.toString();
  }

  /** An OpenCode error ({@code {name, data: {message}}}) in words. */
  static String describe(JsonNode error) {
    String message = error.path("data").path("message").asText("");
    String name = error.path("name").asText("error");
    if (message.isBlank()) return "OpenCode: " + name;
    return message + (name.equals("UnknownError") || name.isBlank() ? "" : " (" + name + ")");
  }
}
