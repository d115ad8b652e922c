package dev.stepwise.cli;

import static dev.stepwise.cli.Launcher.runToEnd;
import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.testing.TestDatabase;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code ./stepwise bench} run the way users run it: its output, its temp dir, and the peers beside
 * it on PostgreSQL. A class of its own, so that these long runs go beside the other launcher tests.
 */
class BenchLauncherIT {
  @Test
  void bench_prints_only_its_results_and_removes_its_temp_dir() throws Exception {
    String output = runToEnd(Map.of(), "bench", "--samples", "5", "--executions", "20", "--ten-step", "5",
        "--rounds", "1", "--sockets", "5", "--ceiling", "--parked", "100");
    assertThat(output).contains("exit=0").contains("drain, single-step noop, 20 queued")
        .contains("drain, ten-step noop, 5 queued").contains("ceiling (plain SQL")
        .doesNotContain("rid=").doesNotContain(" INFO ");
    // each fan-out measures its second round; every socket of both got all its own events and no other's
    assertThat(output).contains("WebSocket fan-out (after a warm-up round): 5 sockets connected")
        .contains("20 events delivered; over both rounds, sockets missing or reordering one of their own: 0, events "
            + "delivered to a socket that did not follow them: 0")
        .contains("Agent runs over WebSocket (after a warm-up round): 5 sockets connected")
        .contains("30 agent events delivered; over both rounds, sockets missing or reordering one of their own: 0, "
            + "events of another run delivered: 0");
    Matcher parked = Pattern.compile("parked at an approval: 100 executions queued and parked in [0-9.]+ s; threads "
        + "\\(platform and virtual\\) ([0-9,]+) before, ([0-9,]+) after").matcher(output);
    assertThat(parked.find()).as(output).isTrue();
    // a parked execution holds no thread: a hundred of them leave the count where it was, give or take the pools'
    assertThat(Integer.parseInt(parked.group(2).replace(",", "")))
        .isLessThan(Integer.parseInt(parked.group(1).replace(",", "")) + 50);
    Matcher dir = Pattern.compile("SQLite \\(WAL\\) in (\\S+),").matcher(output);
    assertThat(dir.find()).as(output).isTrue();
    assertThat(Path.of(dir.group(1))).doesNotExist();
  }

  @Test
  void bench_drains_the_same_jobs_with_graphile_worker_and_jobrunr_on_the_same_postgresql() throws Exception {
    try (var database = TestDatabase.postgres()) {
      String output = runToEnd(180, Map.of(), "bench", "--db-url", database.url(), "--samples", "5",
          "--executions", "200", "--ten-step", "5", "--rounds", "1", "--sockets", "0", "--peers");
      assertThat(output).contains("exit=0")
          .contains("peers, single-step drain of 200 on the same PostgreSQL (median of 1 round after a warm-up")
          .containsPattern("Stepwise, 16 workers +[1-9][0-9,]*/s")
          .containsPattern("graphile-worker 0\\.17\\.3, defaults \\(1 job at a time\\) +[1-9][0-9,]*/s +[0-9]+\\.[0-9]{2}× "
              + "+\\(rounds: \\[[0-9,]+]\\)")
          .containsPattern("graphile-worker 0\\.17\\.3, 16 jobs at once +[1-9][0-9,]*/s +[0-9]+\\.[0-9]{2}×")
          .containsPattern("graphile-worker 0\\.17\\.3, documented batching \\(24 at once\\) +[1-9][0-9,]*/s "
              + "+[0-9]+\\.[0-9]{2}×")
          .containsPattern("JobRunr 8\\.7\\.0, defaults +[1-9][0-9,]*/s +[0-9]+\\.[0-9]{2}×");
    }
  }

  @Test
  void bench_refuses_the_peers_without_postgresql() throws Exception {
    assertThat(runToEnd(Map.of(), "bench", "--peers", "--sockets", "0"))
        .contains("--peers needs --db-url: graphile-worker and JobRunr run on PostgreSQL").contains("exit=2");
  }
}
