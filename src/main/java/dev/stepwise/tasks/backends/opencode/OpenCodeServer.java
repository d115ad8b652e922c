package dev.stepwise.tasks.backends.opencode;

import dev.stepwise.runners.ProcessStarts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's one {@code opencode serve}: started when a phase first needs it, on loopback with a
 * password made for this start, its state under the data dir; started again when it has died. It
 * runs under a small supervisor in its own process group, which takes the whole group down (OpenCode
 * and every command it started) when this server's end of its input closes: on a clean stop, and
 * also when this server is killed outright, so that no OpenCode outlives Stepwise. Thread-safe.
 */
public final class OpenCodeServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(OpenCodeServer.class);
  private static final Pattern LISTENING = Pattern.compile("opencode server listening on (http://127\\.0\\.0\\.1:\\d+)");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final int TAIL_LINES = 20;
  /**
   * Runs {@code "$@"} (OpenCode) and waits for it: when OpenCode exits, when the supervisor's input
   * ends (this server is gone, even killed outright: a watcher reading it tells the supervisor), or
   * when it is itself told to stop, it stops its whole process group, TERM then KILL. It waits with
   * {@code wait}, which reaps OpenCode at once ({@code kill -0} would still find it as a zombie). A
   * constant: nothing of a request is ever part of it.
   */
  static final String SUPERVISOR = """
      stop() {
        trap '' TERM INT HUP
        kill -TERM 0 2>/dev/null
        sleep 2
        kill -KILL 0
      }
      trap stop TERM INT HUP
      "$@" &
      child=$!
      (while read -r _; do :; done; kill -TERM $$) <&0 &
      wait "$child"
      stop
      """;

  private final String command;
  private final OpenCodeConfig config;
  /** OpenCode's last lines, guarded by itself (not by this server, which is held while it starts). */
  private final Deque<String> tail = new ArrayDeque<>();
  private volatile Process process;
  /** The process this server is stopping on purpose: its exit is no failure. */
  private volatile Process stopping;
  private Endpoint endpoint;
  private OpenCodeEvents events;
  private volatile String version;
  private volatile String lastError;

  /** Where a running OpenCode answers, and its password. */
  public record Endpoint(String baseUrl, String password) {
    String authorization() {
      return "Basic " + Base64.getEncoder().encodeToString(("opencode:" + password).getBytes(StandardCharsets.UTF_8));
    }
  }

  /** OpenCode cannot be started or reached; the message says why, in words a person can act on. */
  public static final class Unavailable extends RuntimeException {
    Unavailable(String message) {
      super(message);
    }
  }

  /** @param command the OpenCode CLI, a path or a name on the PATH */
  OpenCodeServer(String command, OpenCodeConfig config) {
    this.command = command;
    this.config = config;
  }

  /** The running OpenCode, started (again) if it is not running. */
  synchronized Endpoint ensureStarted() {
    if (process != null && process.isAlive() && endpoint != null && answers(endpoint)) return endpoint;
    stopProcess();
    String problem = installProblem();
    if (problem != null) throw new Unavailable(problem);
    start();
    return endpoint;
  }

  /** The event stream of the running OpenCode. */
  synchronized OpenCodeEvents events() {
    ensureStarted();
    return events;
  }

  /**
   * Whether the OpenCode this server started has gone without being told to: exited, or no longer
   * taking connections (it is started again when next needed).
   */
  boolean stoppedUnexpectedly() {
    Process current = process;
    Endpoint known = endpoint;
    return current != null && current != stopping && (!current.isAlive() || known == null || !answers(known));
  }

  /** Whether something takes connections at the endpoint's port. */
  private static boolean answers(Endpoint endpoint) {
    java.net.URI uri = java.net.URI.create(endpoint.baseUrl());
    try (var socket = new java.net.Socket()) {
      socket.connect(new java.net.InetSocketAddress(uri.getHost(), uri.getPort()), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  boolean running() {
    Process current = process;
    return current != null && current.isAlive();
  }

  /** Why OpenCode cannot be run at all on this machine (not installed), or {@code null}. */
  String installProblem() {
    if (version != null) return null;
    try {
      Process check = ProcessStarts.start(new ProcessBuilder(command, "--version").redirectErrorStream(true));
      check.getOutputStream().close();
      String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      if (!check.waitFor(20, TimeUnit.SECONDS)) {
        check.destroyForcibly();
        return "'" + command + " --version' did not answer within 20 s";
      }
      if (check.exitValue() != 0) return "'" + command + " --version' failed: " + firstLine(out);
      version = firstLine(out);
      return null;
    } catch (IOException e) {
      return "OpenCode is not installed: '" + command + "' cannot be run (" + e.getMessage()
          + "); install it (npm install -g opencode-ai) or set tasks.opencode.command";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted while checking OpenCode";
    }
  }

  /** The installed version, once known. */
  String version() {
    return version;
  }

  String lastError() {
    return lastError;
  }

  /** What OpenCode printed last, for an error message. */
  String recentOutput() {
    synchronized (tail) {
      return String.join("\n", tail);
    }
  }

  private void start() {
    String password = newPassword();
    try {
      for (String dir : List.of("home", "data", "config", "state", "cache")) {
        Files.createDirectories(config.home().resolve(dir));
      }
      config.settlePluginPackage(version);
    } catch (IOException e) {
      throw new Unavailable("cannot make OpenCode's directories under " + config.home() + ": " + e.getMessage());
    }
    var builder = new ProcessBuilder("setsid", "bash", "-c", SUPERVISOR, "opencode-supervisor", command, "serve",
        "--hostname", "127.0.0.1", "--port", "0").directory(config.home().toFile()).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(config.environment(password));
    CompletableFuture<String> listening = new CompletableFuture<>();
    try {
      process = ProcessStarts.start(builder);
    } catch (IOException e) {
      throw unavailable("OpenCode could not be started: " + e.getMessage());
    }
    Process started = process;
    Thread.ofVirtual().name("opencode-output").start(() -> read(started, password, listening));
    String baseUrl;
    try {
      baseUrl = listening.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      stopProcess();
      throw unavailable("OpenCode did not start listening within " + START_TIMEOUT.toSeconds() + " s" + printed());
    } catch (ExecutionException e) {
      stopProcess();
      throw unavailable(e.getCause().getMessage() + printed());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopProcess();
      throw unavailable("interrupted while OpenCode started");
    }
    endpoint = new Endpoint(baseUrl, password);
    events = new OpenCodeEvents(endpoint, this::running);
    events.start();
    lastError = null;
    log.info("OpenCode {} started (pid {}) on {}", version, process.pid(), baseUrl);
  }

  private void read(Process started, String password, CompletableFuture<String> listening) {
    try (var lines = new BufferedReader(new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = lines.readLine()) != null; ) {
        String shown = line.replace(password, "***");
        synchronized (tail) {
          tail.addLast(shown.length() > 500 ? shown.substring(0, 500) + "…" : shown);
          while (tail.size() > TAIL_LINES) tail.removeFirst();
        }
        Matcher matcher = LISTENING.matcher(line);
        if (!listening.isDone() && matcher.find()) listening.complete(matcher.group(1));
        log.debug("opencode: {}", shown);
      }
    } catch (IOException e) {
      // the process is gone
    }
    try {
      int code = started.waitFor();
      if (started == stopping) {
        log.info("OpenCode (pid {}) stopped", started.pid());
        return;
      }
      if (!listening.isDone()) listening.completeExceptionally(new IOException("OpenCode exited with code " + code));
      else lastError = "OpenCode exited with code " + code;
      log.warn("OpenCode (pid {}) exited with code {}", started.pid(), code);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Unavailable unavailable(String message) {
    lastError = message;
    return new Unavailable(message);
  }

  private String printed() {
    String output = recentOutput();
    return output.isBlank() ? "" : "; it printed:\n" + output;
  }

  /** Stops OpenCode and everything it started: closing its input tells the supervisor, then the group is killed. */
  private void stopProcess() {
    if (events != null) events.close();
    events = null;
    endpoint = null;
    Process stopping = process;
    process = null;
    if (stopping == null || !stopping.isAlive()) return;
    this.stopping = stopping;
    try {
      stopping.getOutputStream().close();
      if (!stopping.waitFor(5, TimeUnit.SECONDS)) {
        stopping.descendants().forEach(ProcessHandle::destroyForcibly);
        stopping.destroyForcibly();
      }
    } catch (IOException e) {
      stopping.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopping.destroyForcibly();
    }
  }

  @Override
  public synchronized void close() {
    stopProcess();
  }

  private static String newPassword() {
    byte[] bytes = new byte[24];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String firstLine(String text) {
    return text.lines().findFirst().orElse("").strip();
  }
}
