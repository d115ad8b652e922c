package dev.stepwise.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.testing.StoreFixture;
import dev.stepwise.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The API token store, run against each dialect by an empty subclass. */
abstract class ApiTokensContract {
  private static final Instant NOW = StoreFixture.NOW;
  private StoreFixture fixture;
  private ApiTokens tokens;
  private User owner;
  private User other;

  abstract TestDatabase newDatabase();

  @BeforeEach
  void open() {
    fixture = new StoreFixture(newDatabase());
    tokens = new ApiTokens(fixture.db);
    var users = new Users(fixture.db, fixture.clock);
    owner = users.create("owner", "h", Role.OPERATOR, false);
    other = users.create("other", "h", Role.OPERATOR, false);
  }

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void a_token_is_found_by_its_hash_only() {
    ApiToken token = tokens.create(owner.id(), "ci", "hash-1", NOW, NOW.plus(Duration.ofDays(90)));
    var found = tokens.findByHash("hash-1").orElseThrow();
    assertThat(found.userId()).isEqualTo(owner.id());
    assertThat(found.token()).isEqualTo(token);
    assertThat(tokens.findByHash("hash-2")).isEmpty();
  }

  @Test
  void revoking_is_immediate_and_limited_to_the_owner() {
    ApiToken token = tokens.create(owner.id(), "ci", "hash-1", NOW, NOW.plus(Duration.ofDays(1)));
    assertThat(tokens.revoke(other.id(), token.id(), NOW)).isFalse();
    assertThat(tokens.findByHash("hash-1").orElseThrow().token().revokedAt()).isNull();
    assertThat(tokens.revoke(owner.id(), token.id(), NOW)).isTrue();
    assertThat(tokens.findByHash("hash-1").orElseThrow().token().revokedAt()).isEqualTo(NOW);
    assertThat(tokens.revoke(owner.id(), token.id(), NOW)).isFalse();
    assertThat(tokens.exists(owner.id(), token.id())).isTrue();
    assertThat(tokens.exists(other.id(), token.id())).isFalse();
  }

  @Test
  void lists_show_only_the_users_own_tokens_and_record_last_use() {
    tokens.create(owner.id(), "a", "h-a", NOW, NOW.plusSeconds(60));
    ApiToken b = tokens.create(owner.id(), "b", "h-b", NOW, NOW.plusSeconds(60));
    tokens.create(other.id(), "c", "h-c", NOW, NOW.plusSeconds(60));
    tokens.markUsed(b.id(), NOW.plusSeconds(5));
    assertThat(tokens.listForUser(owner.id())).extracting(ApiToken::name).containsExactly("a", "b");
    assertThat(tokens.listForUser(owner.id()).get(1).lastUsedAt()).isEqualTo(NOW.plusSeconds(5));
  }

  @Test
  void an_admin_finds_any_token_by_id_with_its_owner() {
    ApiToken mine = tokens.create(owner.id(), "ci", "h-1", NOW, NOW.plusSeconds(60));
    ApiToken theirs = tokens.create(other.id(), "ci", "h-2", NOW, NOW.plusSeconds(60));
    assertThat(tokens.find(mine.id()).orElseThrow().userId()).isEqualTo(owner.id());
    assertThat(tokens.find(theirs.id()).orElseThrow().userId()).isEqualTo(other.id());
    assertThat(tokens.find(theirs.id()).orElseThrow().token()).isEqualTo(theirs);
    assertThat(tokens.find(theirs.id() + 1)).isEmpty();
    assertThat(tokens.listAll()).extracting(stored -> stored.token().id()).containsExactly(mine.id(), theirs.id());
  }
}
