package dev.stepwise.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.testing.StoreFixture;
import dev.stepwise.testing.TestDatabase;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The user store, run against each dialect by an empty subclass. */
abstract class UsersContract {
  private StoreFixture fixture;
  private Users users;

  abstract TestDatabase newDatabase();

  @BeforeEach
  void open() {
    fixture = new StoreFixture(newDatabase());
    users = new Users(fixture.db, fixture.clock);
  }

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void created_users_are_found_by_id_and_name_with_their_credentials() {
    User alice = users.create("alice", "hash-a", Role.OPERATOR, false);
    assertThat(alice.id()).isPositive();
    assertThat(alice.createdAt()).isEqualTo(StoreFixture.NOW);
    assertThat(users.find(alice.id())).contains(alice);
    assertThat(users.findByUsername("alice")).contains(alice);
    assertThat(users.credentials("alice")).get().extracting(Users.Credentials::passwordHash).isEqualTo("hash-a");
    assertThat(users.find(alice.id() + 1000)).isEmpty();
  }

  @Test
  void a_taken_username_is_a_conflict() {
    users.create("bob", "h", Role.VIEWER, false);
    assertThatThrownBy(() -> users.create("bob", "h2", Role.ADMIN, false))
        .isInstanceOf(Users.UsernameTaken.class)
        .hasMessageContaining("already taken");
    assertThat(users.count()).isEqualTo(1);
  }

  @Test
  void lists_page_by_page_in_id_order() {
    for (int i = 0; i < 5; i++) users.create("user" + i, "h", Role.VIEWER, false);
    var first = users.list(0, 2);
    assertThat(first.items()).extracting(User::username).containsExactly("user0", "user1");
    var second = users.list(Long.parseLong(first.nextCursor()), 2);
    assertThat(second.items()).extracting(User::username).containsExactly("user2", "user3");
    var last = users.list(Long.parseLong(second.nextCursor()), 2);
    assertThat(last.items()).extracting(User::username).containsExactly("user4");
    assertThat(last.nextCursor()).isNull();
  }

  @Test
  void updates_change_only_the_given_fields() {
    User carol = users.create("carol", "old", Role.VIEWER, false);
    users.update(carol.id(), Role.OPERATOR, null, null);
    assertThat(users.credentials("carol").orElseThrow())
        .satisfies(c -> assertThat(c.passwordHash()).isEqualTo("old"))
        .satisfies(c -> assertThat(c.user().role()).isEqualTo(Role.OPERATOR));
    users.update(carol.id(), null, "new", true);
    assertThat(users.credentials("carol").orElseThrow())
        .satisfies(c -> assertThat(c.passwordHash()).isEqualTo("new"))
        .satisfies(c -> assertThat(c.user().disabled()).isTrue())
        .satisfies(c -> assertThat(c.user().role()).isEqualTo(Role.OPERATOR));
    assertThat(users.update(carol.id() + 99, Role.ADMIN, null, null)).isEmpty();
  }

  @Test
  void the_last_enabled_admin_cannot_be_demoted_disabled_or_deleted() {
    User root = users.create("root", "h", Role.ADMIN, false);
    assertThatThrownBy(() -> users.update(root.id(), Role.VIEWER, null, null)).isInstanceOf(Users.LastAdmin.class);
    assertThatThrownBy(() -> users.update(root.id(), null, null, true)).isInstanceOf(Users.LastAdmin.class);
    assertThatThrownBy(() -> users.delete(root.id())).isInstanceOf(Users.LastAdmin.class);
    assertThat(users.find(root.id())).get().extracting(User::role).isEqualTo(Role.ADMIN);

    User second = users.create("root2", "h", Role.ADMIN, false);
    assertThat(users.delete(root.id())).isTrue();
    assertThat(users.anyEnabledAdmin()).isTrue();
    assertThat(users.find(second.id())).isPresent();
  }

  @Test
  void two_admins_demoted_at_the_same_time_never_leave_zero_admins() throws Exception {
    for (int round = 0; round < 15; round++) {
      User a = users.create("a" + round, "h", Role.ADMIN, false);
      User b = users.create("b" + round, "h", Role.ADMIN, false);
      // demote everyone else first, so that a and b are the only admins
      for (User other : users.list(0, 500).items()) {
        if (other.role() == Role.ADMIN && other.id() != a.id() && other.id() != b.id()) {
          users.update(other.id(), Role.VIEWER, null, null);
        }
      }
      var start = new java.util.concurrent.CountDownLatch(1);
      try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
        for (User admin : java.util.List.of(a, b)) {
          pool.submit(() -> {
            start.await();
            try {
              users.update(admin.id(), Role.VIEWER, null, null);
            } catch (Users.LastAdmin expected) {
              // the other demotion won
            }
            return null;
          });
        }
        start.countDown();
      }
      assertThat(users.anyEnabledAdmin()).as("round " + round).isTrue();
    }
  }

  @Test
  void deleting_a_user_deletes_their_api_tokens() {
    User dave = users.create("dave", "h", Role.OPERATOR, false);
    var tokens = new ApiTokens(fixture.db);
    tokens.create(dave.id(), "ci", "hash-1", Instant.EPOCH, StoreFixture.NOW);
    assertThat(users.delete(dave.id())).isTrue();
    assertThat(tokens.findByHash("hash-1")).isEmpty();
    assertThat(users.delete(dave.id())).isFalse();
  }
}
