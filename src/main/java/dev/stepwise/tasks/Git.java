package dev.stepwise.tasks;

import dev.stepwise.runners.ProcessStarts;
import dev.stepwise.web.ApiError;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code git} in a repository, always as an argument list (never a shell string) and with a
 * time limit. Thread-safe.
 */
final class Git {
  private static final long TIMEOUT_S = 30;

  private Git() {}

  /** What git printed, when it exits 0. */
  record Result(int exitCode, String out, String err) {
    boolean ok() {
      return exitCode == 0;
    }
  }

  static Result run(Path repository, String... args) {
    return run(java.util.Map.of(), repository, args);
  }

  /** The same with these variables added to git's environment (e.g. {@code GIT_INDEX_FILE}). */
  static Result run(java.util.Map<String, String> env, Path repository, String... args) {
    Process process = start(command(env, repository, args));
    try {
      var out = process.getInputStream().readAllBytes();
      var err = process.getErrorStream().readAllBytes();
      if (!process.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Result(-1, "", "git took longer than " + TIMEOUT_S + " s");
      }
      return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8).strip(),
          new String(err, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      process.destroyForcibly();
      return new Result(-1, "", e.getMessage());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      return new Result(-1, "", "interrupted");
    }
  }

  /**
   * At most the first {@code max} bytes git prints, the rest not read (git is stopped then), or
   * null when git fails.
   */
  static byte[] head(Path repository, int max, String... args) {
    Process process = start(command(java.util.Map.of(), repository, args)
        .redirectError(ProcessBuilder.Redirect.DISCARD));
    try {
      byte[] out = process.getInputStream().readNBytes(max);
      if (process.getInputStream().read() >= 0) { // more than asked for: not read
        process.destroyForcibly();
        return out;
      }
      if (!process.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return null;
      }
      return process.exitValue() == 0 ? out : null;
    } catch (IOException e) {
      process.destroyForcibly();
      return null;
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static ProcessBuilder command(java.util.Map<String, String> env, Path repository, String... args) {
    List<String> command = new ArrayList<>(List.of("git", "-C", repository.toString()));
    command.addAll(List.of(args));
    var builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    builder.environment().putAll(env);
    return builder;
  }

  private static Process start(ProcessBuilder builder) {
    try {
      return ProcessStarts.start(builder);
    } catch (IOException e) {
      throw ApiError.unavailable("cannot run git on the server (" + e.getMessage() + "); install git");
    }
  }
}
