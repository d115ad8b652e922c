package dev.stepwise.orchestrator;

/**
 * How many executions a node claims beyond its free workers. They wait on the node for a worker to
 * run a step, and meanwhile pass their noop steps, settle or park without one. While the executions
 * the node ran lately needed workers, it claims few: a node busy with long steps then holds back
 * little of a queue that an idle node could run ({@link Workers} gives back those that wait beyond
 * it). While they needed none (noop steps, gates, bookkeeping), it claims many: they end in a
 * moment, and the more settle at once, the more share each transaction (SQLite's single writer,
 * PostgreSQL's group commit). Thread-safe.
 */
public final class Prefetch {
  /** The prefetch while executions need workers (or the node's workers, if more). */
  public static final int FEW = 128;
  /**
   * The prefetch while they need none (or the node's workers, if more): four times the largest
   * group commit ({@link dev.stepwise.events.GroupCommit}), so that a full group settles while the
   * next one is claimed and decided.
   */
  public static final int MANY = 2048;
  /** The share of recent executions that needed a worker, below which a node claims many. */
  static final double MOSTLY_NONE = 0.05;
  /** Each execution moves the share by this much of the way: it weighs about the last 256. */
  private static final double WEIGHT = 1.0 / 256;

  private final int workers;
  /** Starts as if every execution needed a worker: a node claims many only once it has seen they do not. */
  private double neededWorker = 1.0;

  Prefetch(int workers) {
    this.workers = workers;
  }

  /** An execution asks for a worker to run a step: at once, the node claims fewer if it claimed many. */
  synchronized void asked() {
    neededWorker += (1 - neededWorker) * WEIGHT;
  }

  /** An execution ended its time on the node without asking for a worker. */
  synchronized void endedWithout() {
    neededWorker -= neededWorker * WEIGHT;
  }

  /**
   * The prefetch now, with {@code waiting} executions waiting here for a worker: few once that many
   * wait, whatever the share, so that a trickle of long steps among many light ones does not pile up
   * here either.
   */
  synchronized int now(int waiting) {
    int few = Math.max(FEW, workers);
    return neededWorker < MOSTLY_NONE && waiting < few ? most() : few;
  }

  /** The largest prefetch: with the workers, how many executions a node may work on at once. */
  int most() {
    return Math.max(MANY, workers);
  }
}
