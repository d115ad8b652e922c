package dev.stepwise.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The peers, measured on the same PostgreSQL in the same sitting as the engine's drain: the same
 * number of no-op jobs, queued while nothing runs, then timed from the worker's start until the
 * last one has succeeded in the database, a warm-up round first. Each peer is a small program in
 * {@code peers/} with its version pinned: graphile-worker (with its defaults, and with the batching
 * its performance page documents) and JobRunr (with its defaults).
 */
final class PeerBench {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long LONGEST_PEER_MINUTES = 30;

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
      List<Double> sorted = new ArrayList<>(perSecond);
      sorted.sort(null);
      return sorted.get(sorted.size() / 2);
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

  /** The peers, to run against the PostgreSQL database at {@code jdbcUrl}. */
  static List<Peer> peers(Path home, String jdbcUrl) {
    Properties parsed = org.postgresql.Driver.parseURL(jdbcUrl, new Properties());
    if (parsed == null) throw new IllegalArgumentException("not a PostgreSQL JDBC URL: the peers run on PostgreSQL");
    String user = parsed.getProperty("user", System.getProperty("user.name"));
    String nodeUrl = "postgres://" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "@"
        + parsed.getProperty("PGHOST", "localhost") + ":" + parsed.getProperty("PGPORT", "5432") + "/"
        + URLEncoder.encode(parsed.getProperty("PGDBNAME", user), StandardCharsets.UTF_8);
    Map<String, String> nodeEnvironment = parsed.getProperty("password") == null
        ? Map.of("PEER_DATABASE_URL", nodeUrl)
        : Map.of("PEER_DATABASE_URL", nodeUrl, "PGPASSWORD", parsed.getProperty("password"));
    Path graphile = home.resolve("graphile-worker");
    Path jobRunr = home.resolve("jobrunr");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return List.of(
        new Peer("graphile-worker", "defaults", List.of("node", graphile.resolve("drain.mjs").toString(), "--preset", "default"),
            nodeEnvironment, graphile.resolve("node_modules/graphile-worker"), "npm ci --prefix peers/graphile-worker"),
        new Peer("graphile-worker", "documented batching",
            List.of("node", graphile.resolve("drain.mjs").toString(), "--preset", "batched"),
            nodeEnvironment, graphile.resolve("node_modules/graphile-worker"), "npm ci --prefix peers/graphile-worker"),
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

  /** Runs one peer: a warm-up round, then {@code rounds} rounds of {@code jobs} jobs. */
  static Result run(Peer peer, int jobs, int rounds) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(peer.command());
    command.addAll(List.of("--jobs", Integer.toString(jobs), "--rounds", Integer.toString(rounds)));
    var builder = new ProcessBuilder(command);
    builder.environment().putAll(peer.environment());
    Process process = builder.start();
    Deque<String> errors = new ArrayDeque<>();
    Thread errorReader = Thread.ofVirtual().start(() -> keepLast(process, errors));
    List<Double> perSecond = new ArrayList<>();
    String version = "?";
    try (var lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (!line.startsWith("{")) continue;
        JsonNode round = JSON.readTree(line);
        version = round.path("version").asText(version);
        if (round.path("round").asInt() > 0) perSecond.add(round.path("jobs").asDouble() / round.path("seconds").asDouble());
      }
    }
    if (!process.waitFor(LONGEST_PEER_MINUTES, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      throw new IllegalStateException(peer + " did not finish within " + LONGEST_PEER_MINUTES + " minutes");
    }
    errorReader.join();
    if (process.exitValue() != 0 || perSecond.size() != rounds) {
      synchronized (errors) {
        throw new IllegalStateException(peer + " failed (exit " + process.exitValue() + "):\n"
            + String.join("\n", errors));
      }
    }
    return new Result(peer, version, perSecond);
  }

  /** One table: the engine's median beside each peer's, and how many times faster the engine is. */
  static void print(int jobs, int rounds, int workers, double engine, List<Result> peers) {
    System.out.printf(Locale.ROOT, "peers, single-step drain of %,d on the same PostgreSQL (median of %s after a "
        + "warm-up; Stepwise ÷ peer):%n", jobs, rounds == 1 ? "1 round" : rounds + " rounds");
    System.out.printf(Locale.ROOT, "  %-48s %,9.0f/s%n", "Stepwise, " + workers + " workers", engine);
    for (Result peer : peers) {
      System.out.printf(Locale.ROOT, "  %-48s %,9.0f/s   %5.2f×   (rounds: %s)%n", peer.label(),
          peer.median(), engine / peer.median(),
          peer.perSecond().stream().map(r -> String.format(Locale.ROOT, "%,.0f", r)).toList());
    }
  }

  private static void keepLast(Process process, Deque<String> errors) {
    try (var lines = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        synchronized (errors) {
          errors.addLast(line);
          if (errors.size() > 20) errors.removeFirst();
        }
      }
    } catch (IOException e) {
      synchronized (errors) {
        errors.addLast("(its error output could not be read: " + e.getMessage() + ")");
      }
    }
  }
}
