package dev.stepwise.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.util.BufferRecycler;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Every request and execution runs on a virtual thread of its own: the buffers one of them wrote
 * JSON with must serve the next, not be dropped with its thread (Jackson's default keeps them per
 * thread).
 */
class JsonBuffersTest {
  @Test
  void the_buffers_a_virtual_thread_released_serve_the_next_one() throws Exception {
    for (JsonFactory factory : List.of(Json.factory(), Json.yamlFactory())) {
      var pool = factory._getRecyclerPool();
      BufferRecycler first = onVirtualThread(() -> {
        BufferRecycler buffers = pool.acquireAndLinkPooled();
        buffers.releaseToPool();
        return buffers;
      });
      BufferRecycler next = onVirtualThread(pool::acquireAndLinkPooled);
      assertThat(next).as(factory.getFormatName()).isSameAs(first);
    }
  }

  @Test
  void the_api_mapper_keeps_the_buffers_of_virtual_threads_that_ended() throws Exception {
    for (int i = 0; i < 100; i++) {
      int n = i;
      onVirtualThread(() -> Json.write(java.util.Map.of("n", n)));
    }
    // kept per thread, the pool would not know (-1); not kept, it would hold none
    assertThat(Json.mapper().getFactory()._getRecyclerPool().pooledCount()).isPositive();
  }

  @Test
  void what_is_written_on_many_virtual_threads_at_once_stays_whole() throws Exception {
    try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
      var written = new java.util.ArrayList<java.util.concurrent.Future<String>>();
      for (int i = 0; i < 2000; i++) {
        int n = i;
        written.add(threads.submit(() -> new String(Json.write(new java.util.TreeMap<>(java.util.Map.of("n", n, "text", "x".repeat(n)))),
            java.nio.charset.StandardCharsets.UTF_8)));
      }
      for (int i = 0; i < written.size(); i++) {
        assertThat(written.get(i).get()).isEqualTo("{\"n\":" + i + ",\"text\":\"" + "x".repeat(i) + "\"}");
      }
    }
  }

  private static <T> T onVirtualThread(Callable<T> work) throws Exception {
    try (var thread = Executors.newVirtualThreadPerTaskExecutor()) {
      return thread.submit(work).get();
    }
  }
}
