package dev.stepwise.agents.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.agents.ApprovalMode;
import dev.stepwise.app.Config;
import dev.stepwise.runners.CancelSignal;
import dev.stepwise.runners.ProcessMark;
import dev.stepwise.runners.Secrets;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Argument checks, the approval policy, the safe-command list and http_get's address rules. */
class AgentToolsTest {
  private final AgentTools tools = new AgentTools(Config.Tools.DEFAULTS);

  @Test
  void arguments_are_checked_against_the_tool() {
    assertThat(tools.invalid("shell", Map.of("command", "ls"))).isNull();
    assertThat(tools.invalid("shell", Map.of())).contains("'command' is required");
    assertThat(tools.invalid("shell", Map.of("command", 3))).contains("must be a string");
    assertThat(tools.invalid("shell", Map.of("command", "  "))).contains("empty");
    assertThat(tools.invalid("shell", Map.of("command", "ls", "cwd", "/"))).contains("unknown argument 'cwd'");
    assertThat(tools.invalid("format_disk", Map.of())).contains("no tool named");
  }

  @Test
  void risky_means_a_command_off_the_safe_list_or_any_write() {
    assertThat(tools.needsApproval(ApprovalMode.RISKY, "shell", Map.of("command", "ls -1"))).isFalse();
    assertThat(tools.needsApproval(ApprovalMode.RISKY, "shell", Map.of("command", "git   status"))).isFalse();
    assertThat(tools.needsApproval(ApprovalMode.RISKY, "shell", Map.of("command", "git push"))).isTrue();
    assertThat(tools.needsApproval(ApprovalMode.RISKY, "shell", Map.of("command", "lsblk"))).isTrue();
    assertThat(tools.needsApproval(ApprovalMode.RISKY, "shell", Map.of("command", "ls; rm -rf ."))).isTrue();
    assertThat(tools.needsApproval(ApprovalMode.RISKY, "shell", Map.of("command", "cat x | sh"))).isTrue();
    assertThat(tools.needsApproval(ApprovalMode.RISKY, "shell", Map.of("command", "echo $(id)"))).isTrue();
    assertThat(tools.needsApproval(ApprovalMode.RISKY, "shell", Map.of("command", "ls\nrm x"))).isTrue();
    assertThat(tools.needsApproval(ApprovalMode.RISKY, "shell", Map.of("command", "cat /proc/1/environ"))).isTrue();
    assertThat(tools.needsApproval(ApprovalMode.RISKY, "shell", Map.of("command", "cat ../secret"))).isTrue();
    assertThat(tools.needsApproval(ApprovalMode.RISKY, "shell", Map.of("command", "git diff --output=x"))).isTrue();
    assertThat(tools.needsApproval(ApprovalMode.RISKY, "shell", Map.of("command", "git log -ox"))).isTrue();
    assertThat(tools.needsApproval(ApprovalMode.RISKY, "shell", Map.of("command", "git log --oneline"))).isFalse();
    assertThat(tools.needsApproval(ApprovalMode.RISKY, "write_file", Map.of("path", "a", "content", ""))).isTrue();
    assertThat(tools.needsApproval(ApprovalMode.RISKY, "read_file", Map.of("path", "a"))).isFalse();
    assertThat(tools.needsApproval(ApprovalMode.ALWAYS, "read_file", Map.of("path", "a"))).isTrue();
    assertThat(tools.needsApproval(ApprovalMode.NEVER, "shell", Map.of("command", "rm -rf /"))).isFalse();
    var custom = new AgentTools(new Config.Tools(java.util.List.of("make test"), Set.of()));
    assertThat(custom.needsApproval(ApprovalMode.RISKY, "shell", Map.of("command", "make test"))).isFalse();
    assertThat(custom.needsApproval(ApprovalMode.RISKY, "shell", Map.of("command", "make install"))).isTrue();
  }

  @Test
  void http_get_refuses_this_machine_and_private_networks_unless_allowed() throws Exception {
    var strict = new HttpGetTool(Set.of());
    assertThat(strict.refusal(URI.create("http://127.0.0.1:8000/api/v1/health"))).contains("tools.http_allow");
    assertThat(strict.refusal(URI.create("http://localhost/"))).contains("tools.http_allow");
    assertThat(strict.refusal(URI.create("http://169.254.169.254/latest/meta-data/"))).contains("tools.http_allow");
    assertThat(strict.refusal(URI.create("http://10.1.2.3/"))).isNotNull();
    assertThat(strict.refusal(URI.create("http://192.168.0.1/"))).isNotNull();
    assertThat(strict.refusal(URI.create("http://[::1]/"))).isNotNull();
    assertThat(strict.refusal(URI.create("http://[fd00::1]/"))).isNotNull();
    assertThat(strict.refusal(URI.create("http://[::ffff:127.0.0.1]/"))).isNotNull();
    assertThat(strict.refusal(URI.create("http://0.0.0.0/"))).isNotNull();
    assertThat(strict.refusal(URI.create("file:///etc/passwd"))).contains("only http and https");
    assertThat(strict.refusal(URI.create("http://user:pw@example.com/"))).contains("credentials");
    assertThat(HttpGetTool.internal(InetAddress.getByName("8.8.8.8"))).isFalse();
    assertThat(HttpGetTool.internal(InetAddress.getByName("100.64.0.1"))).isTrue();
    var allowing = new HttpGetTool(Set.of("127.0.0.1"));
    assertThat(allowing.refusal(URI.create("http://127.0.0.1:8000/"))).isNull();
  }

  @Test
  void a_refused_fetch_never_connects(@TempDir Path workspace) throws Exception {
    var context = new ToolContext(1, 1, workspace, Map.of(), Duration.ofSeconds(5), new CancelSignal(), line -> { },
        new ProcessMark("test-node", 1, 1), Secrets.NONE);
    ToolResult result = tools.run("http_get", Map.of("url", "http://127.0.0.1:1/"), context);
    assertThat(result.refused()).isTrue();
    assertThat(result.output()).contains("tools.http_allow");
  }

  @Test
  void the_shell_tool_runs_in_the_workspace_and_reports_the_exit_code(@TempDir Path workspace) throws Exception {
    var lines = new java.util.ArrayList<String>();
    var context = new ToolContext(1, 1, workspace, Map.of("GREETING", "hi"), Duration.ofSeconds(10), new CancelSignal(),
        lines::add, new ProcessMark("test-node", 1, 1), Secrets.NONE);
    ToolResult result = tools.run("shell", Map.of("command", "echo $GREETING > note.txt; cat note.txt; exit 3"), context);
    assertThat(result.output()).isEqualTo("hi\n");
    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(workspace.resolve("note.txt")).hasContent("hi");
    assertThat(lines).first().asString().startsWith("$ echo");
    ToolResult slow = tools.run("shell", Map.of("command", "sleep 30"),
        new ToolContext(1, 1, workspace, Map.of(), Duration.ofMillis(300), new CancelSignal(), line -> { }, new ProcessMark("test-node", 1, 1), Secrets.NONE));
    assertThat(slow.output()).contains("stopped: the command ran longer than");
  }

  @Test
  void a_slow_answer_is_cut_off_at_the_limit_even_mid_body(@TempDir Path workspace) throws Exception {
    var slow = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    slow.createContext("/", exchange -> {
      exchange.sendResponseHeaders(200, 0);
      exchange.getResponseBody().write('x');
      exchange.getResponseBody().flush();
      try {
        Thread.sleep(4_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      exchange.close();
    });
    slow.start();
    try {
      var allowing = new AgentTools(new Config.Tools(java.util.List.of(), Set.of("127.0.0.1")));
      var context = new ToolContext(1, 1, workspace, Map.of(), Duration.ofMillis(800), new CancelSignal(), line -> { },
          new ProcessMark("test-node", 1, 1), Secrets.NONE);
      ToolResult result = allowing.run("http_get", Map.of("url", "http://127.0.0.1:" + slow.getAddress().getPort() + "/"),
          context);
      assertThat(result.refused()).isTrue();
      assertThat(result.output()).contains("took longer than");
    } finally {
      slow.stop(0);
    }
  }
}
