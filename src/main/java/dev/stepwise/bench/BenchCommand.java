package dev.stepwise.bench;

import dev.stepwise.app.App;
import dev.stepwise.app.Config;
import dev.stepwise.store.Database;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures the engine on a fresh embedded server: submit→start latency on an idle server, and how
 * many single-step and ten-step executions it runs per second. Numbers depend on the machine: run
 * it where you deploy.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmark the engine on a fresh embedded server (SQLite, or --db-url for PostgreSQL).")
public final class BenchCommand implements Callable<Integer> {
  private static final String NOOP_1 = "name: bench\nsteps: [{name: a, type: noop}]";

  @Option(names = "--db-url", description = "A jdbc:postgresql: URL of an EMPTY database (default: a temp SQLite file).")
  String dbUrl;

  @Option(names = "--samples", defaultValue = "300", description = "Latency samples (default ${DEFAULT-VALUE}), after a "
      + "warm-up of ten submits a sample, 3,000 at most.")
  int samples;

  @Option(names = "--executions", defaultValue = "20000", split = ",", paramLabel = "N[,N...]",
      description = "Single-step executions queued for each drain; several (e.g. 5000,20000,100000) show whether "
          + "throughput holds as the queue grows (default ${DEFAULT-VALUE}).")
  List<Integer> executions;

  @Option(names = "--ten-step", defaultValue = "2000", description = "Ten-step executions for the ten-step drain; 0 skips it (default ${DEFAULT-VALUE}).")
  int tenStep;

  @Option(names = "--rounds", defaultValue = "3", description = "Drains of each size; the median is reported (default ${DEFAULT-VALUE}).")
  int rounds;

  @Option(names = "--ceiling", description = "Also run the same rows as plain SQL in batches of 500 on the same "
      + "database, as many rounds as the drains, and report how close the engine's median comes to its median.")
  boolean ceiling;

  @Option(names = "--peers", description = "Also drain as many jobs with graphile-worker (its defaults, as many "
      + "at once as --workers, and its documented batching) and JobRunr (its defaults), pinned in peers/, on the same PostgreSQL, and print one "
      + "table with the ratios. Needs --db-url.")
  boolean peers;

  @Option(names = "--parked", defaultValue = "0", paramLabel = "N", description = "Also park this many executions at "
      + "an approval (e.g. 100000) and report the node's threads and heap before and after (default: skip).")
  int parked;

  @Option(names = "--workers", defaultValue = "16", description = "Worker slots (default ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--sockets", defaultValue = "500",
      description = "WebSocket clients for the fan-out measurements, each following its own execution, then each "
          + "starting its own agent run, each fan-out measured after a warm-up round of the same size; 0 skips "
          + "them (default ${DEFAULT-VALUE}).")
  int sockets;

  @Option(names = "--dashboard", description = "Measure the dashboard instead: its executions page with this many "
      + "executions in the store (e.g. 100000), its execution page with a 10,000-line log, and a first visit's bytes.")
  Integer dashboard;

  @Option(names = "--tasks", description = "Measure coding tasks instead: execute→202 with 20 tasks running (this many "
      + "samples, e.g. 200), and what Stepwise adds to each phase of a run. Uses OpenCode when it is installed "
      + "(tasks.opencode.command), else the native agent, against a built-in model that answers at once.")
  Integer tasks;

  @Option(names = "--ssh", paramLabel = "ENVIRONMENT", description = "Measure steps on this remote environment of the "
      + "settings file (--config) instead: a one-step `true` one at a time, then a batch with its slots, beside "
      + "OpenSSH's own client as the peer.")
  String ssh;

  @Option(names = "--config", paramLabel = "FILE", description = "The settings file whose environments --ssh reads.")
  Path configFile;

  @Option(names = "--task-runs", defaultValue = "10", description = "Whole task runs timed phase by phase (default ${DEFAULT-VALUE}).")
  int taskRuns;

  @Override
  public Integer call() throws Exception {
    quietLogs();
    Path dataDir = Files.createTempDirectory("stepwise-bench-");
    try {
      return run(dataDir);
    } finally {
      deleteTree(dataDir);
    }
  }

  /** The results are the output: the server's request and progress lines would interleave with them. */
  private static void quietLogs() {
    var root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(ch.qos.logback.classic.Level.WARN);
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("stepwise.access"))
        .setLevel(ch.qos.logback.classic.Level.WARN);
  }

  private static void deleteTree(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (java.io.IOException e) {
      System.err.println("stepwise: could not remove the benchmark's temp dir " + dir + ": " + e.getMessage());
    }
  }

  private int run(Path dataDir) throws Exception {
    AgentFanout.writeAgent(dataDir);
    String password = "bench-" + Long.toHexString(System.nanoTime());
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    var base = new Config(dataDir, new Config.Server("127.0.0.1", 0, 1 << 20, Duration.ofSeconds(5)),
        new Config.Database(dbUrl, 16),
        new Config.Auth(false, password, Base64.getEncoder().encodeToString(key), Duration.ofHours(1), 5, Duration.ofMinutes(5)),
        new Config.Engine(workers, Duration.ofSeconds(15), List.of("local", "linux"), Duration.ofMinutes(5), 1 << 20, null));
    if (tasks != null) return runTasks(base, password);
    if (ssh != null) return runSsh(base, password);
    var config = base;
    List<PeerBench.Peer> peerPrograms = List.of();
    if (peers) {
      if (dbUrl == null) {
        System.err.println("stepwise: --peers needs --db-url: graphile-worker and JobRunr run on PostgreSQL");
        return 2;
      }
      try {
        peerPrograms = PeerBench.peers(PeerBench.home(), dbUrl, workers);
      } catch (IllegalArgumentException e) {
        System.err.println("stepwise: --peers: " + e.getMessage());
        return 2;
      }
      List<String> missing = PeerBench.missing(peerPrograms);
      if (!missing.isEmpty()) {
        System.err.println("stepwise: --peers needs the peers installed; from the project's folder run:\n  "
            + String.join("\n  ", missing));
        return 2;
      }
    }
    System.out.printf("Stepwise bench: %s, %d workers, %d cores, Java %s%n",
        dbUrl == null ? "SQLite (WAL) in " + dataDir : "PostgreSQL", workers, Runtime.getRuntime().availableProcessors(),
        Runtime.version());
    try (App app = App.start(config, Clock.systemUTC(), new PrintStream(new ByteArrayOutputStream()));
         var client = new BenchClient("http://127.0.0.1:" + app.port(), "admin", password);
         Database db = Database.open(config.databaseUrl(), 2, null)) {
      if (dashboard != null) {
        new DashboardBench(app, client).run(dashboard, 200);
        return 0;
      }
      client.listen();
      latency(client, db);
      client.stopListening();
      try (var finished = new EventCounter(app.bus(), "execution.completed")) {
        var drains = new DrainBench(app, client, finished);
        drains.warmUp(executions.getFirst(), NOOP_1);
        DrainBench.Result first = null;
        DrainBench.Result single = null;
        for (int count : executions) {
          single = drains.drain("single-step noop", count, NOOP_1, rounds);
          single.print("executions", 1);
          if (first == null) first = single;
        }
        if (tenStep > 0) drains.drain("ten-step noop", tenStep, tenSteps(), rounds).print("steps", 10);
        drains.endToEnd(Math.min(2000, executions.getFirst()), NOOP_1);
        if (ceiling) {
          // the rows the ceiling copies: one the engine ran, so that it is not among the ceiling's queued
          long before = finished.count();
          long template = client.submit(NOOP_1);
          finished.awaitAtLeast(before + 1, java.time.Duration.ofMinutes(1));
          app.orchestrator().pause();
          CeilingBench.print(CeilingBench.run(db, executions.getLast(), rounds, template), single.median());
          app.orchestrator().resume();
        }
        if (peers && !comparePeers(app, peerPrograms, first)) return 1;
      }
      // before the fan-outs, whose sockets and agent runs take a while to wind down
      if (parked > 0) ParkedBench.run(app, client, parked, dataDir);
      if (sockets > 0) WebSocketFanout.run(app, client, sockets);
      if (sockets > 0) AgentFanout.run(app, client, sockets);
    }
    return 0;
  }

  /**
   * The peers drain as many jobs as the engine's first drain, while the engine is paused. False, with
   * what the peer printed, when one fails.
   */
  private boolean comparePeers(App app, List<PeerBench.Peer> programs, DrainBench.Result engine) throws Exception {
    app.orchestrator().pause();
    try {
      List<PeerBench.Result> results = new ArrayList<>();
      for (PeerBench.Peer peer : programs) {
        results.add(PeerBench.run(peer, engine.count(), rounds, PeerBench.LONGEST_PEER));
      }
      PeerBench.print(engine.count(), rounds, workers, engine.median(), results);
      return true;
    } catch (IllegalStateException e) {
      System.err.println("stepwise: " + e.getMessage());
      return false;
    } finally {
      app.orchestrator().resume();
    }
  }

  /** The SSH benchmark, on a server with the settings file's environments. */
  private int runSsh(Config base, String password) throws Exception {
    Config.Environments environments = dev.stepwise.app.ConfigLoader.load(java.util.Map.of(), System.getenv(), configFile)
        .environments();
    var spec = environments.specs().stream().filter(s -> s.name().equals(ssh)).findFirst().orElse(null);
    if (spec == null) {
      System.err.println("stepwise: the settings file has no environment named '" + ssh + "' (give it with --config)");
      return 1;
    }
    var config = new Config(base.dataDir(), base.server(), base.database(), base.auth(), base.engine(),
        Config.Testing.NONE, Config.Model.NONE, Config.WebSocket.DEFAULTS, Config.Tools.DEFAULTS, Config.Tasks.NONE,
        environments);
    System.out.printf("Stepwise SSH bench: %s, %d workers, %d cores, Java %s%n", dbUrl == null ? "SQLite (WAL)"
        : "PostgreSQL", base.engine().workers(), Runtime.getRuntime().availableProcessors(), Runtime.version());
    try (App app = App.start(config, Clock.systemUTC(), new PrintStream(new ByteArrayOutputStream()));
         var client = new BenchClient("http://127.0.0.1:" + app.port(), "admin", password);
         Database db = Database.open(config.databaseUrl(), 2, null)) {
      SshBench.run(app, client, db, spec, samples, Math.min(executions.getFirst(), 500));
    }
    return 0;
  }

  /** The task benchmark, on a server with tasks on a repository of its own and the benchmark's model. */
  private int runTasks(Config base, String password) throws Exception {
    String command = System.getenv().getOrDefault("STEPWISE_OPENCODE_COMMAND", "opencode");
    String agent = installed(command) ? "opencode" : "native";
    Path repository = TaskBench.repository(base.dataDir().resolve("repos"));
    try (var model = new BenchModel()) {
      // every task that runs holds a worker slot: room for the 20 kept running and the ones measured
      var engine = base.engine();
      engine = new Config.Engine(Math.max(engine.workers(), 32), engine.leaseTtl(), engine.labels(), engine.stepTimeout(),
          engine.outputCapBytes(), engine.maxEventLineBytes(), engine.nodeId());
      var config = new Config(base.dataDir(), base.server(), base.database(), base.auth(), engine,
          Config.Testing.NONE, new Config.Model("openai", model.baseUrl(), "bench", null, Duration.ofSeconds(60)),
          Config.WebSocket.DEFAULTS, Config.Tools.DEFAULTS,
          new Config.Tasks(List.of(repository.getParent().toRealPath()), agent, command));
      System.out.printf("Stepwise task bench: %s, %d workers, %d cores, Java %s, agent %s%n",
          dbUrl == null ? "SQLite (WAL)" : "PostgreSQL", engine.workers(), Runtime.getRuntime().availableProcessors(),
          Runtime.version(), agent.equals("native") ? "native (OpenCode is not installed)" : "opencode");
      try (App app = App.start(config, Clock.systemUTC(), new PrintStream(new ByteArrayOutputStream()));
           var client = new BenchClient("http://127.0.0.1:" + app.port(), "admin", password)) {
        new TaskBench(client, model, repository.toRealPath(), agent).run(taskRuns, tasks);
      }
    }
    return 0;
  }

  /** Whether {@code command --version} runs and succeeds. */
  static boolean installed(String command) {
    try {
      Process version = new ProcessBuilder(command, "--version").redirectErrorStream(true).start();
      version.getInputStream().readAllBytes();
      return version.waitFor() == 0;
    } catch (java.io.IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Submits before the latency samples per sample, and at most: 3,000 for the default 300 samples. */
  private static final int LATENCY_WARM_UP_PER_SAMPLE = 10;
  private static final int LATENCY_WARM_UP = 3000;

  private void latency(BenchClient client, Database db) throws Exception {
    // warm-up: a server runs warm, and its request path is compiled after a few thousand requests;
    // a short run (a few samples, to try the bench) gets a short warm-up
    int warmUp = (int) Math.min(LATENCY_WARM_UP, (long) samples * LATENCY_WARM_UP_PER_SAMPLE);
    for (int i = 0; i < warmUp; i++) client.submit(NOOP_1);
    Thread.sleep(1000); // the warm-up's executions drain
    List<Double> latencies = new ArrayList<>();
    List<Double> answers = new ArrayList<>();
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < samples; i++) {
      long start = System.nanoTime();
      long id = client.submit(NOOP_1);
      answers.add((System.nanoTime() - start) / 1e6);
      ids.add(id);
      Long seen;
      while ((seen = client.startedAtNanos(id)) == null) {
        if (System.nanoTime() - start > 5_000_000_000L) throw new IllegalStateException("execution " + id + " never started");
        Thread.onSpinWait();
      }
      latencies.add((seen - start) / 1e6);
      Thread.sleep(10); // keep the server idle between samples
    }
    Stats stats = Stats.of(latencies);
    Stats answered = Stats.of(answers);
    System.out.printf(Locale.ROOT, "submit→start latency as a client sees it (HTTP submit until execution.started "
        + "arrives over SSE), %d samples after %,d warm-up submits:%n"
        + "  p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms%n"
        + "  of which the submit's answer: p50 %.2f ms, p95 %.2f ms%n",
        stats.count(), warmUp, stats.p50(), stats.p95(), stats.p99(), stats.max(), answered.p50(), answered.p95());
    List<Double> server = db.reads().withHandle(h -> h.createQuery(
            "SELECT started_at - queued_at FROM executions WHERE id >= :first AND id <= :last")
        .bind("first", ids.getFirst()).bind("last", ids.getLast()).mapTo(Double.class).list());
    Stats inside = Stats.of(server);
    System.out.printf(Locale.ROOT, "submit→start inside the server (queued_at to started_at, 1 ms resolution):%n"
        + "  p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms%n", inside.p50(), inside.p95(), inside.p99(), inside.max());
  }

  private static String tenSteps() {
    var plan = new StringBuilder("name: bench-10\nsteps:\n");
    for (int i = 1; i <= 10; i++) plan.append("  - {name: s").append(i).append(", type: noop}\n");
    return plan.toString();
  }
}
