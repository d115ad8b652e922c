package dev.stepwise.testcases.results;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.events.EventLog;
import dev.stepwise.executions.StepStatus;
import dev.stepwise.executions.Steps;
import dev.stepwise.orchestrator.StepListener;
import dev.stepwise.plans.Plan;
import dev.stepwise.plans.StepType;
import dev.stepwise.testcases.TestPlans;
import dev.stepwise.web.Json;
import java.time.Duration;
import java.util.Optional;

/**
 * Records each finished test step as a run of its test case, in the step's own transaction: the
 * run's status (from the exit code and, when the command printed one, its JUnit XML or TAP report),
 * the case's {@code last_result}, and whether it is flaky. A case deleted meanwhile is left alone.
 */
public final class TestResults implements StepListener {
  @Override
  public void finished(EventLog.Tx tx, FinishedStep step) {
    if (step.spec().type() != StepType.TEST) return;
    Plan.EnvValue caseId = step.spec().env().get(TestPlans.CASE_ID_VAR);
    if (caseId == null || !caseId.value().matches("\\d{1,18}")) return;
    long testCaseId = Long.parseLong(caseId.value());
    Plan.EnvValue revisionValue = step.spec().env().get(TestPlans.REVISION_VAR);
    String revision = revisionValue == null ? null : revisionValue.value();
    Optional<TestReport> report = TestReports.in(Steps.output(tx.handle(), step.executionId(), step.stepNumber()));
    String status = status(step, report);
    String command = step.spec().displayCommand();
    var run = new TestRun(0, testCaseId, step.executionId(), step.stepNumber(), status, step.exitCode(), step.error(),
        revision, command, report.<com.fasterxml.jackson.databind.JsonNode>map(r -> Json.mapper().valueToTree(r)).orElse(null), step.startedAt(),
        step.finishedAt());
    boolean exists = tx.handle().createQuery("SELECT COUNT(*) FROM test_cases WHERE id = :id").bind("id", testCaseId)
        .mapTo(Integer.class).one() > 0;
    if (!exists) return;
    long runId = TestRuns.insert(tx.handle(), run);
    boolean flaky = TestRuns.flaky(tx.handle(), testCaseId, command, revision);
    tx.handle().createUpdate("UPDATE test_cases SET last_result = :result, flaky = :flaky WHERE id = :id")
        .bind("result", lastResult(run, runId, report, flaky).toString()).bind("flaky", flaky).bind("id", testCaseId)
        .execute();
  }

  private static String status(FinishedStep step, Optional<TestReport> report) {
    if (step.status() == StepStatus.SUCCEEDED) {
      return report.isPresent() && report.get().failed() > 0 ? "failed" : "passed";
    }
    return step.status() == StepStatus.FAILED && step.exitCode() != null ? "failed" : "error";
  }

  private static ObjectNode lastResult(TestRun run, long runId, Optional<TestReport> report, boolean flaky) {
    ObjectNode result = Json.mapper().createObjectNode();
    result.put("status", run.status());
    result.put("exit_code", run.exitCode());
    result.put("error", run.error());
    result.put("run_id", runId);
    result.put("execution_id", run.executionId());
    result.put("step_number", run.stepNumber());
    result.put("revision", run.revision());
    result.put("finished_at", run.finishedAt().toString());
    result.put("duration_ms", run.startedAt() == null ? null
        : Duration.between(run.startedAt(), run.finishedAt()).toMillis());
    if (report.isPresent()) {
      ObjectNode summary = result.putObject("report");
      summary.put("format", report.get().format());
      summary.put("total", report.get().total());
      summary.put("passed", report.get().passed());
      summary.put("failed", report.get().failed());
      summary.put("skipped", report.get().skipped());
    } else {
      result.putNull("report");
    }
    result.put("flaky", flaky);
    return result;
  }
}
