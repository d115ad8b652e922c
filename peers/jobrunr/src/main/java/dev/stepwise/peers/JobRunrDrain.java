package dev.stepwise.peers;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.filters.ApplyStateFilter;
import org.jobrunr.jobs.states.JobState;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;

/**
 * Drains no-op jobs with JobRunr on PostgreSQL, the way {@code stepwise bench --peers} drains
 * single-step executions: the jobs are queued while no server runs, then the clock runs from the
 * server's start until every job has succeeded in the database. JobRunr keeps its defaults (worker
 * count, poll interval); the pool is HikariCP, as JobRunr recommends.
 *
 * <p>Arguments: {@code --jobs N --rounds R}; the database's JDBC URL comes from the environment,
 * {@code PEER_JDBC_URL}, so that a password in it never shows in the process list. Prints one line
 * per round, {@code {"version":V,"round":0,"jobs":N,"seconds":S}}, round 0 being the warm-up.
 */
public final class JobRunrDrain {
  private static final AtomicReference<CountDownLatch> SUCCEEDED = new AtomicReference<>(new CountDownLatch(0));
  /** The first job that failed, if one did: it fails the drain at once instead of waiting out its retries. */
  private static final AtomicReference<String> FAILED = new AtomicReference<>();

  private JobRunrDrain() {}

  /** The job: does nothing, like the engine's {@code noop} step. */
  public static void noop() {}

  public static void main(String[] args) {
    try {
      drain(options(args));
    } catch (Throwable e) {
      e.printStackTrace();
      System.exit(1);
    }
    System.exit(0); // JobRunr's own threads do not keep a finished drain waiting
  }

  private static void drain(Map<String, String> options) throws Exception {
    String url = System.getenv("PEER_JDBC_URL");
    if (url == null) throw new IllegalArgumentException("PEER_JDBC_URL is not set");
    int jobs = Integer.parseInt(required(options, "--jobs"));
    int rounds = Integer.parseInt(options.getOrDefault("--rounds", "3"));
    var pool = new HikariConfig();
    pool.setJdbcUrl(url);
    pool.setMaximumPoolSize(Integer.parseInt(options.getOrDefault("--pool", "10")));
    try (var dataSource = new HikariDataSource(pool)) {
      var storage = new PostgresStorageProvider(dataSource);
      var jobRunr = JobRunr.configure()
          .useStorageProvider(storage)
          .withJobFilter(new SucceededCounter())
          .useBackgroundJobServer(org.jobrunr.server.BackgroundJobServerConfiguration
              .usingStandardBackgroundJobServerConfiguration(), false)
          .initialize();
      var scheduler = jobRunr.getJobScheduler();
      var server = jobRunr.getBackgroundJobServer();
      long succeededBefore = storage.countJobs(StateName.SUCCEEDED);
      for (int round = 0; round <= rounds; round++) {
        var done = new CountDownLatch(jobs);
        SUCCEEDED.set(done);
        scheduler.enqueue(IntStream.range(0, jobs).boxed(), i -> JobRunrDrain.noop());
        long start = System.nanoTime();
        server.start();
        while (!done.await(100, TimeUnit.MILLISECONDS)) {
          if (FAILED.get() != null) throw new IllegalStateException("a job failed: " + FAILED.get());
        }
        succeededBefore += jobs;
        while (storage.countJobs(StateName.SUCCEEDED) < succeededBefore) Thread.sleep(1);
        double seconds = (System.nanoTime() - start) / 1e9;
        server.stop();
        System.out.printf(java.util.Locale.ROOT, "{\"version\":\"%s\",\"round\":%d,\"jobs\":%d,\"seconds\":%.4f}%n",
            JobRunr.class.getPackage().getImplementationVersion(), round, jobs, seconds);
        System.out.flush();
      }
      JobRunr.destroy(); // before its pool closes
    }
  }

  /** Counts jobs as JobRunr moves them to SUCCEEDED; the drain then waits until the database agrees. */
  private static final class SucceededCounter implements ApplyStateFilter {
    @Override
    public void onStateApplied(Job job, JobState oldState, JobState newState) {
      if (newState.getName() == StateName.SUCCEEDED) SUCCEEDED.get().countDown();
      if (newState.getName() == StateName.FAILED || newState.getName() == StateName.SCHEDULED) {
        FAILED.compareAndSet(null, job.getJobName() + " went to " + newState.getName());
      }
    }
  }

  private static Map<String, String> options(String[] args) {
    if (args.length % 2 != 0) throw new IllegalArgumentException("every option takes a value: " + String.join(" ", args));
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) options.put(args[i], args[i + 1]);
    return options;
  }

  private static String required(Map<String, String> options, String name) {
    String value = options.get(name);
    if (value == null) throw new IllegalArgumentException("missing " + name);
    return value;
  }
}
