package dev.stepwise.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The processes of this machine, read from {@code /proc}: what a test's remote host (on loopback) runs. */
public final class HostProcesses {
  private HostProcesses() {}

  /** The pids of the processes whose command line contains {@code marker}. */
  public static List<Long> running(String marker) {
    return ProcessHandle.allProcesses().filter(p -> commandLine(p).contains(marker)).map(ProcessHandle::pid).toList();
  }

  private static String commandLine(ProcessHandle process) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline")),
          StandardCharsets.UTF_8).replace('\0', ' ');
    } catch (IOException e) {
      return "";
    }
  }
}
