package dev.stepwise.testcases.results;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One finished run of a test case.
 *
 * @param status {@code passed}, {@code failed} (the test ran and failed) or {@code error} (it could not
 *     run to an exit code: timed out, cancelled, did not start)
 * @param revision the source tree's git revision when the run was queued, or {@code null}
 * @param report the per-test results the command printed (JUnit XML or TAP), or {@code null}
 */
public record TestRun(long id, long testCaseId, long executionId, int stepNumber, String status, Integer exitCode,
    String error, String revision, String command, JsonNode report, Instant startedAt, Instant finishedAt) {}
