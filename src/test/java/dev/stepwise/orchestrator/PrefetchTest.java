package dev.stepwise.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrefetchTest {
  @Test
  void a_node_claims_few_until_its_executions_need_no_worker_and_few_again_as_soon_as_they_do() {
    var prefetch = new Prefetch(16);
    assertThat(prefetch.now(0)).as("nothing seen yet").isEqualTo(Prefetch.FEW);

    int endings = 0;
    while (prefetch.now(0) == Prefetch.FEW) {
      prefetch.endedWithout();
      endings++;
    }
    assertThat(prefetch.now(0)).isEqualTo(Prefetch.MANY);
    assertThat(endings).as("about the last 256 weigh").isBetween(600, 900);
    assertThat(prefetch.now(Prefetch.FEW - 1)).isEqualTo(Prefetch.MANY);
    assertThat(prefetch.now(Prefetch.FEW)).as("as many waiting for a worker as it keeps: few, whatever the share")
        .isEqualTo(Prefetch.FEW);

    int asks = 0;
    while (prefetch.now(0) == Prefetch.MANY) {
      prefetch.asked();
      asks++;
    }
    assertThat(asks).as("a few executions asking for a worker are enough").isLessThanOrEqualTo(14);
    assertThat(prefetch.now(0)).isEqualTo(Prefetch.FEW);
  }

  @Test
  void a_node_with_more_workers_than_the_prefetch_prefetches_its_workers() {
    int workers = Prefetch.MANY + 1000;
    var prefetch = new Prefetch(workers);
    assertThat(prefetch.now(0)).isEqualTo(workers);
    for (int i = 0; i < 2000; i++) prefetch.endedWithout();
    assertThat(prefetch.now(0)).isEqualTo(workers);
    assertThat(prefetch.most()).isEqualTo(workers);
  }
}
