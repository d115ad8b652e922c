package dev.stepwise.orchestrator;

/** This node no longer holds the execution's lease; its work on it must stop and write nothing. */
final class Fenced extends RuntimeException {
  Fenced(long executionId) {
    super("lost the lease on execution " + executionId, null, false, false);
  }
}
