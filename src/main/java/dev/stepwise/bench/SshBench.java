package dev.stepwise.bench;

import dev.stepwise.app.App;
import dev.stepwise.environments.EnvironmentSpec;
import dev.stepwise.store.Database;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Steps on a remote environment over SSH: a one-step {@code true} run one at a time (pooled
 * connections, so after the first no step pays for a handshake), then a batch drained with the
 * environment's slots. The peer, measured in the same sitting, is OpenSSH's own client running
 * {@code true} over one multiplexed connection ({@code ControlMaster}): the floor for a command
 * over SSH.
 */
final class SshBench {
  private SshBench() {}

  static void run(App app, BenchClient client, Database db, EnvironmentSpec spec, int samples,
      int batch) throws Exception {
    String plan = "name: ssh-bench\nenvironment: {name: " + spec.name() + "}\nsteps: [{name: a, run: 'true'}]";
    for (int i = 0; i < 10; i++) awaitDone(db, client.submit(plan)); // warm-up: the pool's connection is made here
    List<Double> steps = new ArrayList<>();
    List<Double> whole = new ArrayList<>();
    for (int i = 0; i < samples; i++) {
      long id = client.submit(plan);
      awaitDone(db, id);
      List<Long> times = db.reads().withHandle(h -> h.createQuery("""
              SELECT s.finished_at - s.started_at FROM steps s WHERE s.execution_id = :id
              UNION ALL SELECT finished_at - queued_at FROM executions WHERE id = :id""")
          .bind("id", id).mapTo(Long.class).list());
      steps.add(times.get(0).doubleValue());
      whole.add(times.get(1).doubleValue());
    }
    Stats step = Stats.of(steps);
    Stats total = Stats.of(whole);
    System.out.printf(Locale.ROOT, "one-step `true` on %s (%s), %d one at a time, pooled connection:%n"
        + "  the step (script placed, run in a terminal, exit read): p50 %.0f ms, p99 %.0f ms%n"
        + "  submit to completed: p50 %.0f ms, p99 %.0f ms%n",
        spec.name(), spec.address(), samples, step.p50(), step.p99(), total.p50(), total.p99());

    long before = completed(db);
    app.orchestrator().pause();
    for (int i = 0; i < batch; i++) client.submit(plan);
    long start = System.nanoTime();
    app.orchestrator().resume();
    while (completed(db) < before + batch) Thread.sleep(20);
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(Locale.ROOT, "throughput with slots: %d: %d one-step executions in %.2f s = %.1f steps/s%n",
        spec.slots(), batch, seconds, batch / seconds);
    openSshPeer(spec, samples, batch);
  }

  /** OpenSSH's client over one multiplexed connection: {@code ssh host true}, as many times. */
  private static void openSshPeer(EnvironmentSpec spec, int samples, int batch) throws Exception {
    if (!(spec.authentication() instanceof EnvironmentSpec.KeyFile key) || key.passphraseEnv() != null
        || spec.jump() != null || spec.hostKey() == null) {
      System.out.println("peer: skipped (it needs a key without passphrase, no jump host and a host_key line)");
      return;
    }
    Path dir = Files.createTempDirectory("stepwise-ssh-peer-");
    Path knownHosts = dir.resolve("known_hosts");
    Files.writeString(knownHosts, "[" + spec.host() + "]:" + spec.port() + " " + spec.hostKey() + "\n");
    List<String> ssh = List.of("ssh", "-i", key.path().toString(), "-p", Integer.toString(spec.port()),
        "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + knownHosts,
        "-o", "ControlMaster=auto", "-o", "ControlPath=" + dir.resolve("control"), "-o", "ControlPersist=60",
        spec.user() + "@" + spec.host(), "true");
    try {
      if (!exec(ssh)) {
        System.out.println("peer: skipped (the ssh client could not run `true` there)");
        return;
      }
      List<Double> times = new ArrayList<>();
      for (int i = 0; i < samples; i++) {
        long start = System.nanoTime();
        exec(ssh);
        times.add((System.nanoTime() - start) / 1e6);
      }
      Stats peer = Stats.of(times);
      System.out.printf(Locale.ROOT, "peer, OpenSSH's client over a ControlMaster connection (`ssh host true`):"
          + " p50 %.0f ms, p99 %.0f ms%n", peer.p50(), peer.p99());
      long start = System.nanoTime();
      try (var pool = java.util.concurrent.Executors.newFixedThreadPool(spec.slots())) {
        var runs = new ArrayList<java.util.concurrent.Future<Boolean>>();
        for (int i = 0; i < batch; i++) runs.add(pool.submit(() -> exec(ssh)));
        for (var run : runs) run.get();
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      System.out.printf(Locale.ROOT, "peer, %d of them, %d at a time: %.2f s = %.1f commands/s%n", batch, spec.slots(),
          seconds, batch / seconds);
    } finally {
      var stop = new ArrayList<>(ssh.subList(0, ssh.size() - 2));
      stop.addAll(List.of("-O", "exit", spec.user() + "@" + spec.host()));
      exec(stop);
    }
  }

  private static boolean exec(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    return process.waitFor() == 0;
  }

  private static void awaitDone(Database db, long id) throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (true) {
      String status = db.reads().withHandle(h -> h.createQuery("SELECT status FROM executions WHERE id = :id")
          .bind("id", id).mapTo(String.class).one());
      if (status.equals("completed")) return;
      if (status.equals("failed") || System.nanoTime() > deadline) {
        throw new IllegalStateException("execution " + id + " on the environment ended " + status);
      }
      Thread.sleep(2);
    }
  }

  private static long completed(Database db) {
    return db.reads().withHandle(h -> h.createQuery("SELECT COUNT(*) FROM executions WHERE status = 'completed'")
        .mapTo(Long.class).one());
  }
}
