package dev.stepwise.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.testing.StoreFixture;
import dev.stepwise.testing.TestDatabase;
import dev.stepwise.web.ApiError;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one rule that keeps WebSockets and SSE streams honest about their token, against a real
 * store: checked again every {@link TokenWatch#RECHECK}, not before, unless this node revoked the
 * token or changed the user, which makes a check due at once; a change to the user takes effect at
 * that check; the token's expiry ends it on the dot. Run against each dialect.
 */
abstract class TokenWatchContract {
  private StoreFixture fixture;
  private final MovingClock clock = new MovingClock(StoreFixture.NOW);
  private Users users;
  private User user;
  private final byte[] key = new byte[32];
  private JwtTokens jwt;
  private Authenticator authenticator;

  abstract TestDatabase newDatabase();

  @BeforeEach
  void open() {
    fixture = new StoreFixture(newDatabase());
    users = new Users(fixture.db, clock);
    users.create("admin", "h", Role.ADMIN, true);
    user = users.create("ops", "h", Role.OPERATOR, false);
    new SecureRandom().nextBytes(key);
    jwt = new JwtTokens(key, Duration.ofMinutes(10), clock);
    authenticator = new Authenticator(users, new ApiTokens(fixture.db), jwt, clock, false);
  }

  @AfterEach
  void close() {
    fixture.close();
  }

  /** A session token that expires in five seconds, signed with the same key. */
  private String shortLivedToken() {
    return new JwtTokens(key, Duration.ofSeconds(5), clock).issueSession(user.id()).token();
  }

  private TokenWatch watch(String token) {
    return new TokenWatch(authenticator, token, authenticator.authenticate(token), clock);
  }

  @Test
  void a_check_is_due_every_recheck_interval_or_at_expiry_when_that_is_sooner() {
    var longLived = watch(jwt.issueSession(user.id()).token());
    assertThat(longLived.untilDue()).isEqualTo(TokenWatch.RECHECK);
    clock.advance(Duration.ofSeconds(10));
    assertThat(longLived.untilDue()).isEqualTo(TokenWatch.RECHECK.minusSeconds(10));

    var shortLived = watch(shortLivedToken());
    assertThat(shortLived.untilDue()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void a_disabled_user_is_refused_at_the_next_check_and_not_before() {
    var watch = watch(jwt.issueSession(user.id()).token());
    users.update(user.id(), null, null, true);

    clock.advance(TokenWatch.RECHECK.minusSeconds(1));
    assertThat(watch.checkIfDue().user().disabled()).as("not due yet: the caller as last checked").isFalse();

    clock.advance(Duration.ofSeconds(1));
    assertThatThrownBy(watch::checkIfDue).isInstanceOf(ApiError.class)
        .satisfies(e -> assertThat(((ApiError) e).status()).isEqualTo(401))
        .isNotInstanceOf(TokenWatch.Expired.class);
  }

  @Test
  void a_changed_role_holds_from_the_next_check_which_is_then_due_a_full_interval_later() {
    var watch = watch(jwt.issueSession(user.id()).token());
    users.update(user.id(), Role.VIEWER, null, null);
    clock.advance(TokenWatch.RECHECK);

    assertThat(watch.checkIfDue().user().role()).isEqualTo(Role.VIEWER);
    assertThat(watch.caller().user().role()).isEqualTo(Role.VIEWER);
    assertThat(watch.untilDue()).isEqualTo(TokenWatch.RECHECK);
  }

  @Test
  void an_expired_token_ends_the_watch_on_the_dot() {
    var watch = watch(shortLivedToken());
    clock.advance(Duration.ofSeconds(5));

    assertThat(watch.untilDue()).isZero();
    assertThatThrownBy(watch::checkIfDue).isInstanceOf(TokenWatch.Expired.class)
        .hasMessageContaining("expired");
    assertThatThrownBy(watch::checkNow).isInstanceOf(TokenWatch.Expired.class);
  }

  @Test
  void a_change_made_on_this_node_is_checked_at_once_on_that_users_connections_only() throws Exception {
    var other = users.create("dev", "h", Role.OPERATOR, false);
    var watches = new TokenWatches();
    var watch = watch(jwt.issueSession(user.id()).token());
    var otherWatch = watch(jwt.issueSession(other.id()).token());
    var woken = new java.util.concurrent.atomic.AtomicInteger();
    var otherWoken = new java.util.concurrent.atomic.AtomicInteger();
    watches.open(watch, woken::incrementAndGet);
    watches.open(otherWatch, otherWoken::incrementAndGet);
    assertThat(watch.untilDue()).as("a change made before the watch was counted is caught by a first check now")
        .isZero();
    watch.checkIfDue();
    otherWatch.checkIfDue();

    users.update(user.id(), null, null, true);
    watches.userChanged(user.id());

    assertThat(woken).hasValue(1);
    assertThat(watch.untilDue()).isZero();
    watch.awaitDue(Duration.ofMinutes(1)); // returns at once: the check is due
    assertThatThrownBy(watch::checkIfDue).isInstanceOf(ApiError.class);
    assertThat(otherWoken).hasValue(0);
    assertThat(otherWatch.untilDue()).isEqualTo(TokenWatch.RECHECK);

    watches.close(watch);
    watches.userChanged(user.id());
    assertThat(woken).as("a closed connection is no longer counted").hasValue(1);
  }

  @Test
  void a_revoked_api_token_wakes_the_connections_of_that_token_only() {
    var apiTokens = new ApiTokens(fixture.db);
    var watches = new TokenWatches();
    var service = new ApiTokenService(apiTokens, jwt, clock, watches);
    var caller = authenticator.authenticate(jwt.issueSession(user.id()).token());
    var revoked = service.create(caller, new ApiTokenService.CreateRequest("ci", null));
    var kept = service.create(caller, new ApiTokenService.CreateRequest("laptop", null));
    var revokedWatch = watch(revoked.token());
    var keptWatch = watch(kept.token());
    watches.open(revokedWatch, () -> {});
    watches.open(keptWatch, () -> {});
    revokedWatch.checkIfDue();
    keptWatch.checkIfDue();

    service.revoke(caller, revoked.id());

    assertThatThrownBy(revokedWatch::checkIfDue).isInstanceOf(ApiError.class).hasMessageContaining("revoked");
    assertThat(keptWatch.untilDue()).isEqualTo(TokenWatch.RECHECK);
  }

  @Test
  void waiting_for_a_check_ends_at_its_limit_or_when_one_is_made_due() throws Exception {
    var watch = watch(jwt.issueSession(user.id()).token());
    long started = System.nanoTime();
    watch.awaitDue(Duration.ofMillis(50));
    assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());

    var waiter = Thread.ofVirtual().start(() -> {
      try {
        watch.awaitDue(Duration.ofMinutes(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    watch.dueNow();
    assertThat(waiter.join(Duration.ofSeconds(30))).as("woken by dueNow, not at its five-minute limit").isTrue();
  }

  @Test
  void asking_for_a_check_does_not_wait_for_one_in_progress_and_is_answered_after_it() throws Exception {
    var watch = watch(jwt.issueSession(user.id()).token());
    var asked = new java.util.concurrent.CountDownLatch(1);
    synchronized (watch) { // as a check in progress, reading the database, holds it
      Thread.ofVirtual().start(() -> {
        watch.dueNow(); // what a request that revokes the token or disables the user does
        asked.countDown();
      });
      assertThat(asked.await(10, java.util.concurrent.TimeUnit.SECONDS)).as("the asking request did not wait").isTrue();
    }
    assertThat(watch.untilDue()).isZero();
    watch.checkIfDue();
    assertThat(watch.untilDue()).as("answered by that check").isEqualTo(TokenWatch.RECHECK);
  }

  /** A clock the test moves forward by hand. */
  private static final class MovingClock extends Clock {
    private volatile Instant now;

    MovingClock(Instant start) {
      this.now = start;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
