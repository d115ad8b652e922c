package dev.stepwise.runners;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.plans.StepSpec;
import dev.stepwise.plans.StepType;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local runner with a real process: lines longer than the sink takes are cut only after masking. */
class LocalProcessRunnerTest {
  private static final String SECRET = "p4ssw0rd-that-straddles";

  @TempDir Path workdir;

  /** A sink that reads lines whole up to 100 characters and records what it gets. */
  private static final class Recording implements OutputSink {
    final List<String> lines = new CopyOnWriteArrayList<>();
    final List<String> cut = new CopyOnWriteArrayList<>();

    @Override
    public void line(String line) {
      lines.add(line);
    }

    @Override
    public int lineLimit() {
      return 100;
    }

    @Override
    public void cutLine(String start, long dropped) {
      cut.add(start + " +" + dropped);
    }
  }

  @Test
  void a_secret_across_the_line_limit_is_masked_before_the_line_is_cut() throws Exception {
    var spec = new StepSpec("s", StepType.COMMAND, "head -c 90 /dev/zero | tr '\\0' a; printf %s \"$TOKEN\"; echo tail; "
        + "echo short", List.of(), false, null, 0, Duration.ZERO, false, false, Map.of(), null, null,
        dev.stepwise.plans.EnvironmentChoice.ANY, null);
    var run = new StepRun(1, 1, spec, Map.of("TOKEN", SECRET), workdir, Duration.ofSeconds(10), new CancelSignal(),
        new ProcessMark("test-node", 1, 1), Secrets.of(List.of(SECRET)), h -> { });
    var sink = new Recording();
    StepOutcome outcome = new LocalProcessRunner().run(run, sink);
    assertThat(outcome).isInstanceOf(StepOutcome.Succeeded.class);
    assertThat(sink.cut).hasSize(1);
    String cut = sink.cut.getFirst();
    assertThat(cut).startsWith("a".repeat(90)).contains("****");
    for (int length = 3; length <= SECRET.length(); length++) assertThat(cut).doesNotContain(SECRET.substring(0, length));
    assertThat(sink.lines).containsExactly("short");
  }
}
