package dev.stepwise.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerBenchTest {
  @TempDir Path home;

  @Test
  void the_peers_find_the_database_in_their_environment_and_never_on_the_command_line() {
    var peers = PeerBench.peers(home, "jdbc:postgresql://db.example:6543/work?user=bob&password=s3cret&sslmode=require", 16);

    assertThat(peers).extracting(PeerBench.Peer::toString).containsExactly("graphile-worker (defaults (1 job at a time))",
        "graphile-worker (16 jobs at once)", "graphile-worker (documented batching (24 at once))", "JobRunr (defaults)");
    assertThat(peers.getFirst().environment()).containsExactlyInAnyOrderEntriesOf(Map.of("PGHOST", "db.example",
        "PGPORT", "6543", "PGDATABASE", "work", "PGUSER", "bob", "PGPASSWORD", "s3cret", "PGSSLMODE", "require"));
    assertThat(peers.getLast().environment())
        .containsExactly(Map.entry("PEER_JDBC_URL", "jdbc:postgresql://db.example:6543/work?user=bob&password=s3cret&sslmode=require"));
    assertThat(peers).allSatisfy(peer -> assertThat(String.join(" ", peer.command())).doesNotContain("s3cret"));
    assertThat(peers.get(1).command()).containsSequence("--concurrency", "16");
  }

  @Test
  void names_with_characters_a_url_escapes_reach_the_peers_as_they_are() {
    var graphile = PeerBench.peers(home, "jdbc:postgresql://127.0.0.1:5432/bench%2B1?user=a%40b", 16).getFirst();

    assertThat(graphile.environment()).containsEntry("PGDATABASE", "bench+1").containsEntry("PGUSER", "a@b")
        .doesNotContainKeys("PGPASSWORD", "PGSSLMODE");
  }

  @Test
  void a_database_that_is_not_one_postgresql_server_is_refused() {
    assertThatThrownBy(() -> PeerBench.peers(home, "jdbc:sqlite:/tmp/bench.db", 16))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the peers run on PostgreSQL");
    assertThatThrownBy(() -> PeerBench.peers(home, "jdbc:postgresql://one:5432,two:5432/bench?user=postgres", 16))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("names several");
  }

  @Test
  void peers_that_are_not_installed_are_named_by_the_commands_that_install_them() {
    var peers = PeerBench.peers(home, "jdbc:postgresql://127.0.0.1:5432/bench?user=postgres", 16);

    assertThat(PeerBench.missing(peers)).contains("npm ci --prefix peers/graphile-worker",
        "./mvnw -f peers/jobrunr/pom.xml package").doesNotHaveDuplicates();
  }

  @Test
  void a_peer_reports_each_measured_round_and_its_version() throws Exception {
    var result = PeerBench.run(fake("""
        echo 'starting'
        echo '{"version":"1.2.3","round":0,"jobs":100,"seconds":1.0}'
        echo '{"version":"1.2.3","round":1,"jobs":100,"seconds":0.5}'
        echo '{"version":"1.2.3","round":2,"jobs":100,"seconds":0.25}'
        """, Map.of()), 100, 2, Duration.ofMinutes(1));

    assertThat(result.label()).isEqualTo("fake 1.2.3, scripted");
    assertThat(result.perSecond()).containsExactly(200.0, 400.0);
  }

  @Test
  void a_peer_that_fails_is_reported_with_what_it_printed() {
    assertThatThrownBy(() -> PeerBench.run(fake("echo 'no database here' >&2; exit 3", Map.of()), 100, 2,
        Duration.ofMinutes(1)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("fake (scripted) failed (exit 3, 0 of 2 rounds)")
        .hasMessageContaining("no database here");
    assertThatThrownBy(() -> PeerBench.run(fake("echo '{\"round\":1, oops'", Map.of()), 100, 1, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("printed a line that is not JSON");
  }

  @Test
  void a_peer_that_runs_too_long_is_stopped_with_what_it_started() throws Exception {
    Path pids = home.resolve("pids");
    assertThatThrownBy(() -> PeerBench.run(fake("sleep 300 & echo $! > '" + pids + "'; wait", Map.of()), 100, 1,
        Duration.ofSeconds(2)))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("did not finish within");
    long child = Long.parseLong(Files.readString(pids).trim());
    await().atMost(Duration.ofSeconds(10))
        .until(() -> ProcessHandle.of(child).map(handle -> !handle.isAlive()).orElse(true));
  }

  @Test
  void a_peer_sees_none_of_this_process_environment_but_what_it_needs() throws Exception {
    Path seen = home.resolve("environment");
    PeerBench.run(fake("env > '" + seen + "'; echo '{\"version\":\"1\",\"round\":1,\"jobs\":1,\"seconds\":1}'",
        Map.of("PGDATABASE", "bench")), 1, 1, Duration.ofMinutes(1));

    Set<String> names = new HashSet<>();
    for (String line : Files.readAllLines(seen)) names.add(line.substring(0, line.indexOf('=')));
    names.removeAll(Set.of("PWD", "SHLVL", "_")); // what the shell itself sets
    assertThat(names).contains("PGDATABASE", "PATH").isSubsetOf("PATH", "HOME", "LANG", "TZ", "TMPDIR", "PGDATABASE");
  }

  private static PeerBench.Peer fake(String script, Map<String, String> environment) {
    return new PeerBench.Peer("fake", "scripted", List.of("sh", "-c", script + "\n: ignore", "fake"), environment,
        Path.of("."), "nothing to install");
  }
}
