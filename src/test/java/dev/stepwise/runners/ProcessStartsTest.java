package dev.stepwise.runners;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ProcessStartsTest {
  /** Runs {@code body} on a virtual thread and returns what it threw, if anything. */
  private static Throwable onVirtualThread(ThrowingBody body) throws InterruptedException {
    var failure = new AtomicReference<Throwable>();
    Thread.ofVirtual().start(() -> {
      try {
        body.run();
      } catch (Throwable t) {
        failure.set(t);
      }
    }).join(java.time.Duration.ofSeconds(30));
    return failure.get();
  }

  @FunctionalInterface
  private interface ThrowingBody {
    void run() throws Exception;
  }

  @Test
  void a_virtual_thread_starts_its_process_on_a_platform_thread_and_gets_it() throws Exception {
    var ranOnVirtual = new AtomicReference<Boolean>();
    var output = new AtomicReference<String>();
    Throwable failure = onVirtualThread(() -> {
      ranOnVirtual.set(ProcessStarts.offCarrier(() -> Thread.currentThread().isVirtual()));
      Process process = ProcessStarts.start(new ProcessBuilder("/bin/echo", "started").redirectErrorStream(true));
      output.set(new String(process.getInputStream().readAllBytes()).strip());
      assertThat(process.waitFor()).isZero();
    });
    assertThat(failure).isNull();
    assertThat(ranOnVirtual.get()).as("the start ran off the carrier").isFalse();
    assertThat(output.get()).isEqualTo("started");
  }

  @Test
  void a_process_that_cannot_start_fails_as_the_start_itself_would() throws Exception {
    Throwable failure = onVirtualThread(() -> ProcessStarts.start(new ProcessBuilder("/nonexistent/command")));
    assertThat(failure).isInstanceOf(IOException.class).hasMessageContaining("/nonexistent/command");
    assertThatThrownBy(() -> ProcessStarts.start(new ProcessBuilder("/nonexistent/command")))
        .isInstanceOf(IOException.class).hasMessageContaining("/nonexistent/command");
  }

  @Test
  void an_interrupt_while_a_process_starts_is_kept_for_the_caller() throws Exception {
    var stillInterrupted = new AtomicReference<Boolean>();
    Throwable failure = onVirtualThread(() -> {
      Thread.currentThread().interrupt();
      Process process = ProcessStarts.start(new ProcessBuilder("/bin/true"));
      stillInterrupted.set(Thread.interrupted());
      process.waitFor();
    });
    assertThat(failure).isNull();
    assertThat(stillInterrupted.get()).isTrue();
  }
}
