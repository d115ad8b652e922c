package dev.stepwise.executions;

import dev.stepwise.events.EventLog;
import java.util.Optional;

/**
 * Lets a submit start its execution in the transaction that queues it, when this node would claim
 * it next anyway: the execution then runs after one durable commit instead of two (its queuing's,
 * then its claim's). The orchestrator offers the chance; none while it does not claim work.
 */
public interface StartAtOnce {
  /** A chance to start one execution now: none while every worker is busy or dispatching is paused. */
  Optional<Chance> offer();

  /** One execution's chance; {@link #committed} or {@link #failed} ends it, once. */
  interface Chance {
    /**
     * Inside the queuing transaction, just after the execution was queued: takes its lease and says
     * it started, unless an execution the node would claim before it waits. May run again when the
     * transaction is retried; the last run counts.
     */
    boolean take(EventLog.Tx tx, long executionId);

    /** The transaction committed: runs the execution if it was taken, else gives the chance back. */
    void committed();

    /**
     * The transaction failed with {@code failure}: gives the chance back, or, when the database went
     * away during the commit (which may then have happened), runs what was taken, whose fence
     * decides.
     */
    void failed(Throwable failure);
  }
}
