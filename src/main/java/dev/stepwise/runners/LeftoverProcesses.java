package dev.stepwise.runners;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds and kills what a step started before its server crashed: the processes of the step's
 * recorded process group that still carry the step's {@code STEPWISE_EXECUTION_ID} and
 * {@code STEPWISE_STEP_NUMBER}, so that a re-used group id never hits an unrelated process.
 * Linux only (reads {@code /proc}); elsewhere it finds nothing.
 */
public final class LeftoverProcesses {
  private LeftoverProcesses() {}

  /** Kills them; returns how many there were. */
  public static int kill(long processGroup, long executionId, int stepNumber) {
    String marker = "STEPWISE_EXECUTION_ID=" + executionId;
    String step = "STEPWISE_STEP_NUMBER=" + stepNumber;
    int killed = 0;
    for (ProcessHandle process : ProcessHandle.allProcesses().toList()) {
      if (groupOf(process.pid()) != processGroup) continue;
      var variables = java.util.Set.of(environ(process.pid()).split("\0"));
      if (variables.contains(marker) && variables.contains(step)) {
        process.destroyForcibly();
        killed++;
      }
    }
    return killed;
  }

  private static long groupOf(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
      // pid (comm) state ppid pgrp ...; comm may contain spaces, so count from the closing parenthesis
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(fields[2]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static String environ(long pid) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), "environ"), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return "";
    }
  }
}
