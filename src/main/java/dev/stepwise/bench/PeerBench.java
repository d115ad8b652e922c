package dev.stepwise.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The peers, measured on the same PostgreSQL in the same sitting as the engine's drain: the same
 * number of no-op jobs, queued while nothing runs, then timed from the worker's start until the
 * last one has succeeded in the database, a warm-up round first. Each peer is a small program in
 * {@code peers/} with its version pinned: graphile-worker (with its defaults, with as many jobs at
 * once as the engine has workers, and with the batching its performance page documents) and
 * JobRunr (with its defaults).
 */
final class PeerBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Duration LONGEST_PEER = Duration.ofMinutes(30);
  /** What a peer keeps of this process's environment: nothing of Stepwise's own settings or secrets. */
  private static final List<String> PASSED = List.of("PATH", "HOME", "LANG", "TZ", "TMPDIR");

  /** One peer program in one configuration: how to run it, and how to install it when it is not. */
  record Peer(String name, String configuration, List<String> command, Map<String, String> environment, Path installed,
              String install) {
    @Override
    public String toString() {
      return name + " (" + configuration + ")";
    }
  }

  /** A peer's jobs per second in each measured round. */
  record Result(Peer peer, String version, List<Double> perSecond) {
    String label() {
      return peer.name() + " " + version + ", " + peer.configuration();
    }

    double median() {
      return Stats.median(perSecond);
    }
  }

  private PeerBench() {}

  /** The {@code peers/} folder beside the build output the bench runs from. */
  static Path home() {
    try {
      Path code = Path.of(PeerBench.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return code.getParent().getParent().resolve("peers");
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException("cannot tell where the bench runs from", e);
    }
  }

  /**
   * The peers, to run against the PostgreSQL database at {@code jdbcUrl} with the engine's number of
   * {@code workers} beside them. graphile-worker finds the database in libpq's variables
   * ({@code PGHOST}, {@code PGDATABASE}, …, {@code PGSSLMODE}), JobRunr in the JDBC URL: both from the
   * environment, so that no password shows in the process list.
   */
  static List<Peer> peers(Path home, String jdbcUrl, int workers) {
    Properties parsed = org.postgresql.Driver.parseURL(jdbcUrl, new Properties());
    if (parsed == null) throw new IllegalArgumentException("not a PostgreSQL JDBC URL: the peers run on PostgreSQL");
    String host = parsed.getProperty("PGHOST", "localhost");
    if (host.contains(",")) {
      throw new IllegalArgumentException("the peers take one PostgreSQL host, and the URL names several: " + host);
    }
    Map<String, String> libpq = new LinkedHashMap<>();
    libpq.put("PGHOST", host);
    libpq.put("PGPORT", parsed.getProperty("PGPORT", "5432"));
    libpq.put("PGDATABASE", parsed.getProperty("PGDBNAME"));
    libpq.put("PGUSER", parsed.getProperty("user"));
    if (parsed.getProperty("password") != null) libpq.put("PGPASSWORD", parsed.getProperty("password"));
    if (parsed.getProperty("sslmode") != null) libpq.put("PGSSLMODE", parsed.getProperty("sslmode"));
    Path graphile = home.resolve("graphile-worker");
    Path jobRunr = home.resolve("jobrunr");
    String drain = graphile.resolve("drain.mjs").toString();
    Path graphileInstalled = graphile.resolve("node_modules/graphile-worker");
    String graphileInstall = "npm ci --prefix peers/graphile-worker";
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return List.of(
        new Peer("graphile-worker", "defaults (1 job at a time)", List.of("node", drain, "--preset", "default"),
            libpq, graphileInstalled, graphileInstall),
        new Peer("graphile-worker", workers + " jobs at once", List.of("node", drain, "--preset", "default",
            "--concurrency", Integer.toString(workers)), libpq, graphileInstalled, graphileInstall),
        new Peer("graphile-worker", "documented batching (24 at once)", List.of("node", drain, "--preset", "batched"),
            libpq, graphileInstalled, graphileInstall),
        new Peer("JobRunr", "defaults", List.of(java, "-jar", jobRunr.resolve("target/jobrunr-drain.jar").toString()),
            Map.of("PEER_JDBC_URL", jdbcUrl), jobRunr.resolve("target/jobrunr-drain.jar"),
            "./mvnw -f peers/jobrunr/pom.xml package"));
  }

  /** What is missing, as the commands that install it; empty when every peer can run. */
  static List<String> missing(List<Peer> peers) {
    List<String> commands = new ArrayList<>();
    if (!BenchCommand.installed("node")) commands.add("install Node.js 20 or newer (e.g. apt-get install nodejs npm)");
    for (Peer peer : peers) {
      if (!Files.exists(peer.installed()) && !commands.contains(peer.install())) commands.add(peer.install());
    }
    return commands;
  }

  /**
   * Runs one peer: a warm-up round, then {@code rounds} rounds of {@code jobs} jobs, for at most
   * {@code longest}. The peer is stopped, with whatever it started, however this ends.
   *
   * @throws IllegalStateException when the peer fails, runs too long or prints what it should not
   */
  static Result run(Peer peer, int jobs, int rounds, Duration longest) throws InterruptedException {
    List<String> command = new ArrayList<>(peer.command());
    command.addAll(List.of("--jobs", Integer.toString(jobs), "--rounds", Integer.toString(rounds)));
    var builder = new ProcessBuilder(command);
    builder.environment().keySet().retainAll(PASSED);
    builder.environment().putAll(peer.environment());
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException(peer + " could not start: " + e.getMessage(), e);
    }
    List<String> rows = new CopyOnWriteArrayList<>();
    Deque<String> errors = new ArrayDeque<>();
    Thread output = Thread.ofVirtual().start(() -> readLines(process.getInputStream(), rows::add));
    Thread errorOutput = Thread.ofVirtual().start(() -> readLines(process.getErrorStream(), line -> {
      synchronized (errors) {
        errors.addLast(line);
        if (errors.size() > 20) errors.removeFirst();
      }
    }));
    try {
      if (!process.waitFor(longest.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(peer + " did not finish within " + longest.toMinutes() + " minutes");
      }
      output.join();
      errorOutput.join();
      List<Double> perSecond = new ArrayList<>();
      String version = "?";
      for (String row : rows) {
        if (!row.startsWith("{")) continue;
        JsonNode round = parse(peer, row);
        version = round.path("version").asText(version);
        if (round.path("round").asInt() > 0) perSecond.add(round.path("jobs").asDouble() / round.path("seconds").asDouble());
      }
      if (process.exitValue() != 0 || perSecond.size() != rounds) {
        synchronized (errors) {
          throw new IllegalStateException(peer + " failed (exit " + process.exitValue() + ", " + perSecond.size() + " of "
              + rounds + " rounds):\n" + String.join("\n", errors));
        }
      }
      return new Result(peer, version, perSecond);
    } finally {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
    }
  }

  private static JsonNode parse(Peer peer, String row) {
    try {
      return JSON.readTree(row);
    } catch (IOException e) {
      throw new IllegalStateException(peer + " printed a line that is not JSON: " + row, e);
    }
  }

  private static void readLines(InputStream stream, Consumer<String> sink) {
    try (var lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
      for (String line; (line = lines.readLine()) != null; ) sink.accept(line);
    } catch (IOException e) {
      sink.accept("(the peer's output could not be read: " + e.getMessage() + ")");
    }
  }

  /** One table: the engine's median beside each peer's, and how many times faster the engine is. */
  static void print(int jobs, int rounds, int workers, double engine, List<Result> peers) {
    System.out.printf(Locale.ROOT, "peers, single-step drain of %,d on the same PostgreSQL (median of %s after a "
        + "warm-up; Stepwise ÷ peer):%n", jobs, rounds == 1 ? "1 round" : rounds + " rounds");
    System.out.printf(Locale.ROOT, "  %-58s %,9.0f/s%n", "Stepwise, " + workers + " workers", engine);
    for (Result peer : peers) {
      System.out.printf(Locale.ROOT, "  %-58s %,9.0f/s   %5.2f×   (rounds: %s)%n", peer.label(),
          peer.median(), engine / peer.median(),
          peer.perSecond().stream().map(r -> String.format(Locale.ROOT, "%,.0f", r)).toList());
    }
  }
}
