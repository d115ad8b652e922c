package dev.stepwise.testcases.results;

import dev.stepwise.runners.OutputSink;
import dev.stepwise.runners.StepOutcome;
import dev.stepwise.runners.StepRun;
import dev.stepwise.runners.StepRunner;
import java.util.Optional;

/**
 * Runs {@code test} steps, so that a step's status is its test case's result. A step that cannot
 * run ({@code unrunnable}: no command) fails at once without an exit code, saying why in its log.
 * Otherwise its command runs as a command step's does, and when the command printed a report
 * (JUnit XML, TAP) with failed tests, the step fails even if the command exited 0. Thread-safe.
 */
public final class TestStepRunner implements StepRunner {
  private final StepRunner commands;
  private final long maxReportChars;

  /**
   * @param commands runs the step's command (the local process runner)
   * @param maxReportChars how much output is read for a report (the step's output cap)
   */
  public TestStepRunner(StepRunner commands, long maxReportChars) {
    this.commands = commands;
    this.maxReportChars = maxReportChars;
  }

  @Override
  public void stopLeftovers(dev.stepwise.runners.ProcessMark mark) {
    commands.stopLeftovers(mark);
  }

  @Override
  public StepOutcome run(StepRun run, OutputSink output) throws InterruptedException {
    String unrunnable = run.spec().unrunnable();
    if (unrunnable != null) {
      output.line(unrunnable);
      return new StepOutcome.Failed(null, unrunnable);
    }
    var kept = new Kept(output, maxReportChars);
    StepOutcome outcome = commands.run(run, kept);
    if (!(outcome instanceof StepOutcome.Succeeded succeeded)) return outcome;
    Optional<TestReport> report = kept.text().flatMap(TestReports::in);
    if (report.isPresent() && report.get().failed() > 0) {
      return new StepOutcome.Failed(succeeded.exitCode(), "the command exited 0, but its " + report.get().format()
          + " report has " + report.get().failed() + " failed of " + report.get().total() + " tests");
    }
    return outcome;
  }

  /** Passes the output on and keeps a copy, up to a limit, for the report. */
  private static final class Kept implements OutputSink {
    private final OutputSink output;
    private final long limit;
    private final StringBuilder text = new StringBuilder();
    private boolean overflowed;

    Kept(OutputSink output, long limit) {
      this.output = output;
      this.limit = limit;
    }

    @Override
    public void line(String line) {
      output.line(line);
      keep(line);
    }

    @Override
    public int lineLimit() {
      return output.lineLimit();
    }

    @Override
    public void cutLine(String start, long dropped) {
      output.cutLine(start, dropped);
      keep(start);
    }

    private synchronized void keep(String line) {
      if (overflowed || text.length() + line.length() + 1 > limit) {
        overflowed = true;
        return;
      }
      text.append(line).append('\n');
    }

    /** The whole output, or empty when it was too long to keep (then no report is read). */
    synchronized Optional<String> text() {
      return overflowed ? Optional.empty() : Optional.of(text.toString());
    }
  }
}
