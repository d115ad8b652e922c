package dev.stepwise.orchestrator;

/**
 * The right to run an execution, held by one node. Every write the holder makes is conditional on
 * the fence it got at claim time, so a node that lost its lease cannot overwrite its successor.
 *
 * @param firstStart whether the claim started the execution (rather than resuming it)
 */
record Lease(long executionId, long fence, String nodeId, boolean firstStart, String name, String kind) {}
