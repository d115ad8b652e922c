package dev.stepwise.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The packaged server as a separate process, for crash and multi-node tests. */
public final class ServerProcess implements AutoCloseable {
  private static final Pattern READY = Pattern.compile("Stepwise is ready on http://127\\.0\\.0\\.1:(\\d+)");

  private final Process process;
  private final List<String> lines = new ArrayList<>();
  private final int port;

  private ServerProcess(Process process) throws InterruptedException {
    this.process = process;
    Thread.ofVirtual().start(this::read);
    this.port = awaitReady();
  }

  /** Starts {@code target/stepwise.jar server} on a free port with the given data dir and environment. */
  public static ServerProcess start(Path dataDir, Map<String, String> env) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    var builder = new ProcessBuilder(java, "-jar", "target/stepwise.jar", "server", "--port", "0",
        "--data-dir", dataDir.toString()).redirectErrorStream(true);
    builder.environment().put("STEPWISE_ADMIN_PASSWORD", TestServer.ADMIN_PASSWORD);
    builder.environment().putAll(env);
    try {
      return new ServerProcess(builder.start());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private void read() {
    try (var in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        synchronized (lines) {
          lines.add(line);
        }
      }
    } catch (IOException ignored) {
      // the process ended
    }
  }

  public String output() {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }

  private int awaitReady() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      Matcher matcher = READY.matcher(output());
      if (matcher.find()) return Integer.parseInt(matcher.group(1));
      if (!process.isAlive()) throw new AssertionError("server exited:\n" + output());
      Thread.sleep(50);
    }
    throw new AssertionError("server never became ready:\n" + output());
  }

  public ApiClient client() {
    return new ApiClient("http://127.0.0.1:" + port);
  }

  /** SIGSTOP / SIGCONT: the process freezes (a long GC pause, a stalled VM) and later resumes. */
  public void freeze(boolean frozen) throws Exception {
    new ProcessBuilder("kill", frozen ? "-STOP" : "-CONT", Long.toString(process.pid())).start().waitFor();
  }

  /** SIGKILL: no shutdown hook, no cleanup, as in a crash. */
  public void kill() throws InterruptedException {
    process.toHandle().destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    process.toHandle().destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) process.destroyForcibly();
  }
}
