package dev.stepwise.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.management.HotSpotDiagnosticMXBean;
import dev.stepwise.app.App;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * What executions parked at an approval cost the node: {@code count} plans whose second step is an
 * approval gate are queued in bulk and run until every one waits for a decision (counted from the
 * published {@code approval.requested} events); then the node's threads, platform and virtual, and
 * its heap after a full collection are compared with before. A parked execution should hold no
 * thread and next to no memory.
 */
final class ParkedBench {
  private static final String PARKS = "name: parked\nsteps: [{name: a, type: noop}, {name: gate, type: approval}]";
  private static final ObjectMapper JSON = new ObjectMapper();

  private ParkedBench() {}

  static void run(App app, BenchClient client, int count, Path scratch) throws Exception {
    long heapBefore = heapAfterCollection();
    long threadsBefore = threads(scratch);
    double seconds;
    try (var requested = new EventCounter(app.bus(), "approval.requested")) {
      long start = System.nanoTime();
      app.orchestrator().pause();
      try {
        DrainBench.queue(client, count, PARKS);
      } finally {
        app.orchestrator().resume();
      }
      requested.awaitAtLeast(count, Duration.ofMinutes(15));
      seconds = (System.nanoTime() - start) / 1e9;
    }
    long heapAfter = heapAfterCollection();
    long threadsAfter = threads(scratch);
    System.out.printf(Locale.ROOT, "parked at an approval: %,d executions queued and parked in %.1f s; threads "
            + "(platform and virtual) %,d before, %,d after; heap after a full collection %.0f MB before, %.0f MB after "
            + "(%+,.0f bytes per parked execution); busy workers %d%n",
        count, seconds, threadsBefore, threadsAfter, heapBefore / 1e6, heapAfter / 1e6,
        (heapAfter - heapBefore) / (double) count, app.orchestrator().status().busy());
  }

  private static long heapAfterCollection() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /**
   * Every live thread of the JVM, virtual ones included, from a thread dump: the threads of each of
   * its thread containers (a virtual thread started on its own is in the root container while
   * {@code jdk.trackAllThreads} is on, the JDK's default).
   */
  private static long threads(Path scratch) throws IOException {
    Path dump = scratch.resolve("threads-" + System.nanoTime() + ".json");
    try {
      ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
          .dumpThreads(dump.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
      long threads = 0;
      for (JsonNode container : JSON.readTree(dump.toFile()).path("threadDump").path("threadContainers")) {
        threads += container.path("threads").size();
      }
      return threads;
    } finally {
      Files.deleteIfExists(dump);
    }
  }
}
