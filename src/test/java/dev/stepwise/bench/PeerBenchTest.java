package dev.stepwise.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerBenchTest {
  @TempDir Path home;

  @Test
  void the_peers_get_the_database_from_their_environment_and_the_password_never_on_the_command_line() {
    var peers = PeerBench.peers(home, "jdbc:postgresql://db.example:6543/work?user=bob&password=s3cret");

    assertThat(peers).extracting(PeerBench.Peer::toString).containsExactly(
        "graphile-worker (defaults)", "graphile-worker (documented batching)", "JobRunr (defaults)");
    var graphile = peers.getFirst();
    assertThat(graphile.environment()).containsEntry("PEER_DATABASE_URL", "postgres://bob@db.example:6543/work")
        .containsEntry("PGPASSWORD", "s3cret");
    assertThat(peers.getLast().environment())
        .containsEntry("PEER_JDBC_URL", "jdbc:postgresql://db.example:6543/work?user=bob&password=s3cret");
    assertThat(peers).allSatisfy(peer -> assertThat(String.join(" ", peer.command())).doesNotContain("s3cret"));
  }

  @Test
  void without_a_password_none_is_passed() {
    var graphile = PeerBench.peers(home, "jdbc:postgresql://127.0.0.1:5432/bench?user=postgres").getFirst();

    assertThat(graphile.environment()).containsOnlyKeys("PEER_DATABASE_URL")
        .containsEntry("PEER_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench");
  }

  @Test
  void a_database_that_is_not_postgresql_is_refused() {
    assertThatThrownBy(() -> PeerBench.peers(home, "jdbc:sqlite:/tmp/bench.db"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("the peers run on PostgreSQL");
  }

  @Test
  void peers_that_are_not_installed_are_named_by_the_commands_that_install_them() {
    var peers = PeerBench.peers(home, "jdbc:postgresql://127.0.0.1:5432/bench?user=postgres");

    assertThat(PeerBench.missing(peers)).contains("npm ci --prefix peers/graphile-worker",
        "./mvnw -f peers/jobrunr/pom.xml package").doesNotHaveDuplicates();
  }
}
