package dev.stepwise.testcases;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.auth.Caller;
import dev.stepwise.events.EventLog;
import dev.stepwise.executions.Execution;
import dev.stepwise.executions.ExecutionService;
import dev.stepwise.executions.ExecutionStatus;
import dev.stepwise.executions.PlanRequests;
import dev.stepwise.testcases.generation.CommandTemplates;
import dev.stepwise.testcases.generation.DiffTargets;
import dev.stepwise.testcases.generation.ProposedCase;
import dev.stepwise.testcases.generation.SourceTree;
import dev.stepwise.testcases.generation.Target;
import dev.stepwise.testcases.generation.Targets;
import dev.stepwise.testcases.generation.TestGenerator;
import dev.stepwise.web.ApiError;
import dev.stepwise.web.Validation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Generates test cases for a function or a diff, stores them and, unless told not to, queues them
 * as one execution of kind {@code test} in the same transaction: the execution is dispatched at
 * once. Thread-safe.
 */
public final class TestGeneration {
  static final int DEFAULT_MAX_TESTS = 3;
  static final int MAX_TESTS = 50;
  private static final Pattern FUNCTION_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");
  private static final Pattern SUBSYSTEM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");

  private final TestGenerator generator;
  private final Targets targets;
  private final DiffTargets diffs;
  private final CommandTemplates templates;
  private final TestCases store;
  private final TestPlans plans;
  private final ExecutionService executions;
  private final EventLog log;
  private final long maxDiffBytes;

  public TestGeneration(TestGenerator generator, Targets targets, CommandTemplates templates, TestCases store,
      TestPlans plans, ExecutionService executions, EventLog log, long maxDiffBytes) {
    this.generator = generator;
    this.targets = targets;
    this.diffs = new DiffTargets(targets);
    this.templates = templates;
    this.store = store;
    this.plans = plans;
    this.executions = executions;
    this.log = log;
    this.maxDiffBytes = maxDiffBytes;
  }

  /** {@code generate-from-function}'s fields, form-encoded or JSON. */
  public record FunctionRequest(String functionName, String filePath, String subsystem, Integer maxTests,
      Boolean autoExecute, Integer priority) {}

  /** {@code generate-from-diff}'s fields. */
  public record DiffRequest(String diff, String subsystem, Integer maxTests, Boolean autoExecute, Integer priority) {}

  /** What was generated, and the execution running it ({@code null} without {@code auto_execute}). */
  public record Result(List<TestCase> testCases, ExecutionPlan executionPlan, String generator, List<String> warnings,
      List<Analysis> analysis) {}

  public record ExecutionPlan(long id, ExecutionStatus status) {}

  /** What the generator knew of one function. */
  public record Analysis(String filePath, String functionName, String language, String signature, String sourceNote,
      Target.Change change) {}

  public Result fromFunction(Caller caller, FunctionRequest request) {
    var validation = new Validation()
        .require("function_name", request.functionName()).require("file_path", request.filePath())
        .length("function_name", request.functionName(), 1, 200)
        .matches("function_name", request.functionName(), FUNCTION_NAME, "must be a function name: letters, digits, '_' or '$'")
        .length("file_path", request.filePath(), 1, 1000);
    if (request.filePath() != null && !request.filePath().isBlank()) {
      String unsafe = SourceTree.unsafe(request.filePath());
      if (unsafe != null) validation.fail("file_path", unsafe);
    }
    Options options = options(validation, request.subsystem(), request.maxTests(), request.autoExecute(),
        request.priority());
    Target target;
    try {
      target = targets.locate(request.filePath(), request.functionName());
    } catch (SourceTree.EscapesRoot e) {
      throw ApiError.validation("file_path", "must stay inside testing.source_root: " + e.getMessage());
    }
    List<String> warnings = new ArrayList<>();
    if (target.sourceNote() != null) warnings.add(target.sourceNote() + "; the cases are proposed from the names alone");
    return generate(caller, List.of(target), options, warnings);
  }

  public Result fromDiff(Caller caller, DiffRequest request) {
    var validation = new Validation().require("diff", request.diff());
    if (request.diff() != null && request.diff().getBytes(StandardCharsets.UTF_8).length > maxDiffBytes) {
      validation.fail("diff", "must be at most " + maxDiffBytes + " bytes (testing.max_diff)");
    }
    Options options = options(validation, request.subsystem(), request.maxTests(), request.autoExecute(),
        request.priority());
    DiffTargets.Result read;
    try {
      read = diffs.read(request.diff());
    } catch (DiffTargets.BadDiff e) {
      throw ApiError.validation("diff", e.getMessage());
    } catch (SourceTree.EscapesRoot e) {
      throw ApiError.validation("diff", "names a file that " + e.getMessage());
    }
    if (read.targets().isEmpty()) {
      throw ApiError.validation("diff", "changes no function the analyser can read: " + String.join("; ", read.notes()));
    }
    List<String> warnings = new ArrayList<>(read.notes());
    read.targets().stream().map(Target::sourceNote).filter(java.util.Objects::nonNull).distinct().forEach(warnings::add);
    return generate(caller, read.targets(), options, warnings);
  }

  private record Options(String subsystem, int maxTests, boolean autoExecute, Integer priority) {}

  private static Options options(Validation validation, String subsystem, Integer maxTests, Boolean autoExecute,
      Integer priority) {
    validation.matches("subsystem", subsystem, SUBSYSTEM, "must be 1 to 100 letters, digits, '.', '_' or '-'")
        .range("max_tests", maxTests, 1, MAX_TESTS).range("priority", priority, 1, 10)
        .orThrow();
    return new Options(subsystem, maxTests == null ? DEFAULT_MAX_TESTS : maxTests,
        autoExecute == null || autoExecute, priority);
  }

  private Result generate(Caller caller, List<Target> found, Options options, List<String> warnings) {
    TestGenerator.Generation generation = generator.generate(found, options.maxTests());
    List<String> allWarnings = new ArrayList<>(generation.warnings());
    allWarnings.addAll(warnings);
    List<TestCases.Fields> fields = new ArrayList<>();
    int withoutCommand = 0;
    for (ProposedCase proposed : generation.cases()) {
      String command = templates.commandFor(new CommandTemplates.Fields(proposed.name(), proposed.functionName(),
          proposed.filePath(), options.subsystem())).orElse(null);
      if (command == null) withoutCommand++;
      fields.add(new TestCases.Fields(proposed.name(), proposed.description(), options.subsystem(), proposed.filePath(),
          proposed.functionName(), command, proposed.expected(), proposed.tags()));
    }
    if (withoutCommand > 0) {
      allWarnings.add(withoutCommand + " of " + fields.size() + " cases have no command: "
          + CommandTemplates.missingReason(options.subsystem()) + " (each such case says so in cannot_run"
          + (options.autoExecute() ? "; its step fails at once with this message, counted as errored, until one is set)"
              : ")"));
    }
    String revision = options.autoExecute() ? plans.revision() : null;
    record Stored(List<TestCase> cases, Long executionId) {}
    Stored stored = log.transact(tx -> {
      List<Long> ids = new ArrayList<>();
      for (TestCases.Fields f : fields) {
        ids.add(store.insert(tx.handle(), f, "generated", generation.generator(), caller.user().username()));
      }
      List<TestCase> cases = store.findAll(tx.handle(), ids);
      if (!options.autoExecute() || ids.isEmpty()) return new Stored(cases, null);
      JsonNode plan = plans.plan(cases, options.priority(), revision);
      return new Stored(cases, executions.enqueue(tx, caller, PlanRequests.fromJson(plan, executions.parser())));
    });
    List<TestCase> cases = stored.cases().stream().map(plans::explained).toList();
    ExecutionPlan execution = null;
    if (stored.executionId() != null) {
      Execution queued = executions.get(stored.executionId());
      execution = new ExecutionPlan(queued.id(), queued.status());
    }
    List<Analysis> analysis = found.stream().map(t -> new Analysis(t.filePath(), t.functionName(),
        t.language() == null ? null : t.language().wireName(), t.signature() == null ? null : t.signature().display(),
        t.sourceNote(), t.change())).toList();
    return new Result(cases, execution, generation.generator(), allWarnings, analysis);
  }
}
