package dev.stepwise.runners;

import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Starts processes on a few platform threads of their own. The JDK starts a process in native code
 * that returns once the child has started, and a virtual thread in native code holds its carrier
 * meanwhile: a burst of starts (hundreds of agent runs each calling a shell) would then hold every
 * carrier, one per core, and stall every other virtual thread of the node, the event streams'
 * among them. A virtual thread that starts a process here waits without holding one. Thread-safe.
 */
public final class ProcessStarts {
  private static final ExecutorService STARTERS = Executors.newFixedThreadPool(
      Math.max(2, Runtime.getRuntime().availableProcessors()), Thread.ofPlatform().daemon().name("process-start-", 0).factory());

  private ProcessStarts() {}

  /** {@link ProcessBuilder#start}, off the carrier when called on a virtual thread. */
  public static Process start(ProcessBuilder builder) throws IOException {
    return offCarrier(builder::start);
  }

  /** Runs {@code start} where it holds no carrier: on a starter thread when called on a virtual thread. */
  static <T> T offCarrier(Callable<T> start) throws IOException {
    if (!Thread.currentThread().isVirtual()) {
      try {
        return start.call();
      } catch (IOException | RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IOException(e);
      }
    }
    return onStarter(start);
  }

  /**
   * Runs {@code start} on a starter thread and waits for it, uninterruptibly (a start takes
   * milliseconds, and a process started for a caller that left would have no owner); an interrupt
   * meanwhile is kept for the caller.
   */
  private static <T> T onStarter(Callable<T> start) throws IOException {
    Future<T> started = STARTERS.submit(start);
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return started.get();
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          cause.addSuppressed(new Exception("the start was asked for here")); // its own trace is the starter's
          if (cause instanceof IOException failure) throw failure;
          if (cause instanceof RuntimeException failure) throw failure;
          if (cause instanceof Error error) throw error;
          throw new IOException(cause);
        }
      }
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }
}
