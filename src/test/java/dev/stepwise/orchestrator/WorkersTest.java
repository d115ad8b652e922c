package dev.stepwise.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.stepwise.runners.CancelSignal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class WorkersTest {
  @Test
  void the_waits_beyond_the_prefetch_give_back_and_the_rest_get_a_worker_in_turn() throws Exception {
    var workers = new Workers(1, new Prefetch(1));
    assertThat(workers.acquire(new CancelSignal())).isEqualTo(Workers.Wait.WORKER);
    int waits = Prefetch.FEW + 12;
    List<Future<Workers.Wait>> outcomes = new ArrayList<>();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < waits; i++) {
        outcomes.add(pool.submit(() -> {
          Workers.Wait wait = workers.acquire(new CancelSignal());
          if (wait == Workers.Wait.WORKER) workers.release();
          return wait;
        }));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> gaveBack(outcomes) == 12);
      // those within the prefetch wait on: a few more checks give none of them back
      await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> gaveBack(outcomes) == 12);
      assertThat(workers.waiting()).isEqualTo(Prefetch.FEW);

      workers.release();
    }
    long served = outcomes.stream().filter(f -> f.resultNow() == Workers.Wait.WORKER).count();
    assertThat(served).isEqualTo(Prefetch.FEW);
    assertThat(workers.waiting()).isZero();
    assertThat(workers.free()).isEqualTo(1);
  }

  @Test
  void a_trickle_of_waits_among_many_light_executions_still_gives_back_beyond_the_few_kept() throws Exception {
    var workers = new Workers(1, new Prefetch(1));
    for (int i = 0; i < 2000; i++) workers.endedWithout();
    assertThat(workers.acquire(new CancelSignal())).isEqualTo(Workers.Wait.WORKER);
    int waits = Prefetch.FEW + 12;
    List<Future<Workers.Wait>> outcomes = new ArrayList<>();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < waits; i++) {
        // forty light executions for each that waits: under 5 % ask for a worker, so the share alone says "many"
        for (int light = 0; light < 40; light++) workers.endedWithout();
        outcomes.add(pool.submit(() -> workers.acquire(new CancelSignal())));
        int asked = Math.min(i + 1, Prefetch.FEW);
        await().pollInterval(Duration.ofMillis(2)).atMost(Duration.ofSeconds(10))
            .until(() -> workers.waiting() >= asked);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> gaveBack(outcomes) == 12);
      assertThat(workers.waiting()).isEqualTo(Prefetch.FEW);
      assertThat(workers.prefetch()).isEqualTo(Prefetch.FEW);
      for (int i = 0; i < waits; i++) workers.release();
    }
  }

  @Test
  void a_cancelled_wait_ends_without_a_worker() throws Exception {
    var workers = new Workers(1, new Prefetch(1));
    workers.acquire(new CancelSignal());
    var cancel = new CancelSignal();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      Future<Workers.Wait> wait = pool.submit(() -> workers.acquire(cancel));
      cancel.cancel();
      assertThat(wait.get()).isEqualTo(Workers.Wait.CANCELLED);
    }
    assertThat(workers.waiting()).isZero();
  }

  private static long gaveBack(List<Future<Workers.Wait>> outcomes) {
    return outcomes.stream().filter(Future::isDone).filter(f -> f.resultNow() == Workers.Wait.GIVE_BACK).count();
  }
}
