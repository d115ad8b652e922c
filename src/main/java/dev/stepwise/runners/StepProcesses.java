package dev.stepwise.runners;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Finds and stops every process of one step: those carrying its {@link ProcessMark} (read from
 * {@code /proc/<pid>/environ}, so that a child that left the process group is found too), the
 * leader's descendants and its process group. The set is taken before any signal is sent; TERM
 * goes to all of it, KILL after the grace period to what is left, and the search is repeated until
 * nothing remains (a process may fork while it is being stopped). Linux reads {@code /proc};
 * elsewhere only the leader's descendants are found. Thread-safe (stateless).
 */
public final class StepProcesses {
  private static final Path PROC = Path.of("/proc");
  private static final int KILL_ROUNDS = 10;

  private StepProcesses() {}

  /**
   * What stopping found and did.
   *
   * @param found processes that were running when the stop began
   * @param outsideGroup how many of them had left the leader's process group
   * @param killed how many were still running after the grace period and got KILL
   * @param survivors how many could not be stopped (another user's, say)
   */
  public record Report(int found, int outsideGroup, int killed, int survivors) {
    public static final Report NONE = new Report(0, 0, 0, 0);

    /** One line for the step's log, or empty when there was nothing to stop. */
    public Optional<String> describe(String occasion) {
      if (found == 0) return Optional.empty();
      var text = new StringBuilder("[stepwise] ").append(occasion).append(": stopped ").append(found)
          .append(found == 1 ? " process" : " processes");
      if (outsideGroup > 0) text.append(" (").append(outsideGroup).append(" had left the step's process group)");
      if (killed > 0) text.append("; ").append(killed).append(" ignored TERM and got KILL");
      if (survivors > 0) text.append("; ").append(survivors).append(" could not be stopped");
      return Optional.of(text.toString());
    }
  }

  /**
   * Stops the step's processes: TERM, then KILL to whatever is left after {@code grace}.
   *
   * @param leader the step's first process (our child), or {@code null} when it is gone (after a crash)
   */
  public static Report stop(ProcessMark mark, ProcessHandle leader, Duration grace) {
    long group = leader == null ? -1 : leader.pid();
    Set<Long> found = find(mark, leader, group);
    if (found.isEmpty()) return Report.NONE;
    int outsideGroup = (int) found.stream().filter(pid -> group > 0 && groupOf(pid) != group).count();
    found.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy));
    waitForExit(found, grace);
    int killed = 0;
    Set<Long> left = alive(found);
    for (int round = 0; round < KILL_ROUNDS; round++) {
      left.addAll(find(mark, null, group)); // anything forked meanwhile
      left = alive(left);
      if (left.isEmpty()) break;
      if (round == 0) killed = left.size();
      left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
      waitForExit(left, Duration.ofMillis(200));
    }
    return new Report(found.size(), outsideGroup, killed, alive(left).size());
  }

  /** The step's processes alive now, leader first. */
  static Set<Long> find(ProcessMark mark, ProcessHandle leader, long group) {
    Set<Long> pids = new LinkedHashSet<>();
    if (leader != null && leader.isAlive()) pids.add(leader.pid());
    if (leader != null) leader.descendants().forEach(p -> pids.add(p.pid()));
    byte[] entry = ("\0" + mark.entry() + "\0").getBytes(StandardCharsets.UTF_8);
    try (DirectoryStream<Path> all = Files.newDirectoryStream(PROC, "[0-9]*")) {
      for (Path dir : all) {
        long pid = Long.parseLong(dir.getFileName().toString());
        if (pid == ProcessHandle.current().pid()) continue;
        if ((group > 0 && groupOf(pid) == group) || carries(dir, entry)) pids.add(pid);
      }
    } catch (IOException | RuntimeException e) {
      // no /proc: only the leader's descendants can be found
    }
    return alive(pids);
  }

  private static boolean carries(Path processDir, byte[] entry) {
    try {
      byte[] environ = Files.readAllBytes(processDir.resolve("environ"));
      byte[] padded = new byte[environ.length + 1];
      System.arraycopy(environ, 0, padded, 1, environ.length); // the first entry has no NUL before it
      return indexOf(padded, entry) >= 0;
    } catch (IOException | RuntimeException e) {
      return false; // gone, or not ours to read
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) if (haystack[i + j] != needle[j]) continue outer;
      return i;
    }
    return -1;
  }

  private static void waitForExit(Set<Long> pids, Duration grace) {
    long deadline = System.nanoTime() + grace.toNanos();
    while (!alive(pids).isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Those still running; a zombie has stopped (it only waits for its parent to notice). */
  private static Set<Long> alive(Set<Long> pids) {
    Set<Long> alive = new LinkedHashSet<>();
    for (long pid : pids) if (stateOf(pid).filter(state -> state != 'Z' && state != 'X').isPresent()) alive.add(pid);
    return alive;
  }

  private static Optional<Character> stateOf(long pid) {
    return stat(pid).map(fields -> fields[0].charAt(0))
        .or(() -> ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(p -> 'R'));
  }

  private static long groupOf(long pid) {
    return stat(pid).map(fields -> Long.parseLong(fields[2])).orElse(-1L);
  }

  /** The fields of {@code /proc/<pid>/stat} after the command name: state, ppid, pgrp, … */
  private static Optional<String[]> stat(long pid) {
    try {
      String stat = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
      // pid (comm) state ppid pgrp ...; comm may contain spaces, so count from the closing parenthesis
      return Optional.of(stat.substring(stat.lastIndexOf(')') + 2).split(" "));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
