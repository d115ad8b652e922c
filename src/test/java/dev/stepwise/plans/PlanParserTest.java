package dev.stepwise.plans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.stepwise.web.ApiError;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlanParserTest {
  private final PlanParser parser = new PlanParser();

  @SuppressWarnings("unchecked")
  private Map<String, String> problems(String yaml) {
    ApiError error = catchThrowableOfType(ApiError.class, () -> parser.parseYaml(yaml));
    assertThat(error.status()).isEqualTo(422);
    return (Map<String, String>) error.details().get("fields");
  }

  @Test
  void reads_the_plan_format_of_the_contract() {
    Plan plan = parser.parseYaml("""
        name: net-regression
        kind: command
        priority: 7
        timeout: 30m
        environment: {labels: [linux]}
        env: {FOO: bar, TOKEN: {value: s3cret, secret: true}}
        approval_timeout: 24h
        on_approval_timeout: fail
        steps:
          - name: precheck
            type: command
            run: uname -a
            requires_approval: true
            timeout: 1m
            retries: 2
            retry_delay: 5s
            continue_on_error: true
            idempotent: true
          - name: gate
            type: approval
          - name: ping
            type: http
            http: {url: "http://127.0.0.1:8000/api/v1/health", expect_status: [200]}
          - name: list
            argv: [ls, -la]
          - {name: nothing, type: noop}
        """).plan();
    assertThat(plan.name()).isEqualTo("net-regression");
    assertThat(plan.priority()).isEqualTo(7);
    assertThat(plan.timeout()).isEqualTo(Duration.ofMinutes(30));
    assertThat(plan.environment().labels()).containsExactly("linux");
    assertThat(plan.secretValues()).containsExactly("s3cret");
    assertThat(plan.onApprovalTimeout()).isEqualTo(Plan.OnApprovalTimeout.FAIL);
    StepSpec first = plan.steps().getFirst();
    assertThat(first.needsApproval()).isTrue();
    assertThat(first.retries()).isEqualTo(2);
    assertThat(first.retryDelay()).isEqualTo(Duration.ofSeconds(5));
    assertThat(first.idempotent()).isTrue();
    assertThat(plan.steps().get(1).needsApproval()).isTrue();
    assertThat(plan.steps().get(2).displayCommand()).isEqualTo("GET http://127.0.0.1:8000/api/v1/health");
    assertThat(plan.steps().get(3).argv()).containsExactly("ls", "-la");
  }

  @Test
  void defaults_are_a_command_plan_of_priority_5() {
    Plan plan = parser.parseYaml("name: x\nsteps: [{name: a, run: 'true'}]").plan();
    assertThat(plan.kind()).isEqualTo(ExecutionKind.COMMAND);
    assertThat(plan.priority()).isEqualTo(5);
    assertThat(plan.steps().getFirst().type()).isEqualTo(StepType.COMMAND);
    assertThat(plan.steps().getFirst().needsApproval()).isFalse();
  }

  @Test
  void a_typo_is_an_error_naming_the_field_and_the_likely_intent() {
    var problems = problems("name: x\nsteps:\n  - name: a\n    run: rm -rf build\n    requires_aproval: true\n");
    assertThat(problems).containsKey("steps[0].requires_aproval");
    assertThat(problems.get("steps[0].requires_aproval")).contains("unknown field").contains("requires_approval");
  }

  @Test
  void every_problem_is_reported_at_once_with_its_path() {
    var problems = problems("""
        priority: 11
        timeout: 30
        kind: batch
        steps:
          - run: echo
          - name: b
            type: http
          - name: c
            run: echo
            argv: [echo]
          - name: d
            type: noop
            run: echo
          - name: e
            run: echo
            retries: -1
        """);
    assertThat(problems).containsKeys("name", "priority", "timeout", "kind", "steps[0].name", "steps[1].http",
        "steps[2].run", "steps[3].run", "steps[4].retries");
  }

  @Test
  void limits_and_bad_values_are_refused() {
    assertThat(problems("name: x\nsteps: []")).containsKey("steps");
    assertThat(problems("name: x")).containsKey("steps");
    var many = new StringBuilder("name: x\nsteps:\n");
    for (int i = 0; i <= PlanParser.MAX_STEPS; i++) many.append("  - {name: s").append(i).append(", type: noop}\n");
    assertThat(problems(many.toString()).get("steps")).contains("at most");
    assertThat(problems("name: x\nenv: {'1BAD': y}\nsteps: [{name: a, type: noop}]")).containsKey("env.1BAD");
    assertThat(problems("name: x\nsteps: [{name: a, type: http, http: {url: 'file:///etc/passwd'}}]"))
        .containsKey("steps[0].http.url");
    assertThat(problems("name: x\nsteps: [{name: a, type: agent}]").get("steps[0].prompt")).contains("required");
    assertThat(problems("name: x\nsteps: [{name: a, type: agent, prompt: hi, run: ls}]")).containsKey("steps[0].run");
    assertThat(problems("name: x\nsteps: [{name: a, type: agent, prompt: hi, requires_approval: true}]"))
        .containsKey("steps[0].requires_approval");
    assertThat(problems("name: x\nsteps: [{name: a, type: agent, prompt: hi, tool: {name: shell}}]"))
        .containsKey("steps[0].tool");
    assertThat(problems("name: x\nsteps: [{name: a, type: agent, tool: {name: shell, args: {}}}]"))
        .containsKey("steps[0].tool");
    assertThat(problems("name: x\nsteps: [{name: a, run: ls, prompt: hi}]")).containsKey("steps[0].prompt");
    assertThat(problems("name: x\nsteps: [{name: a, type: agent, prompt: hi, retries: 2}]")).containsKey("steps[0].retries");
    assertThat(problems("name: x\nenvironment: {labels: ['bad label']}\nsteps: [{name: a, type: noop}]"))
        .containsKey("environment.labels");
    assertThat(problems("name: x\nenvironment: {name: vm, labels: [vm]}\nsteps: [{name: a, run: ls}]"))
        .containsEntry("environment.labels", "give a name or labels, not both");
    assertThat(problems("name: x\nsteps: [{name: a, type: http, http: {url: 'http://127.0.0.1/'}, environment: {name: vm}}]"))
        .containsEntry("steps[0].environment", "only command, test and agent steps run on an environment");
    assertThat(problems("name: x\nenvironment: {host: 10.0.0.5}\nsteps: [{name: a, run: ls}]"))
        .containsKey("environment.host");
  }

  @Test
  void a_step_may_name_its_own_environment_and_otherwise_follows_its_plan() {
    Plan plan = parser.parseYaml("""
        name: x
        environment: {labels: [linux]}
        steps:
          - {name: here, run: ls}
          - {name: there, run: ls, environment: {name: vm}}
        """).plan();
    assertThat(plan.environmentOf(plan.steps().get(0))).isEqualTo(new EnvironmentChoice(null, List.of("linux")));
    assertThat(plan.environmentOf(plan.steps().get(1))).isEqualTo(new EnvironmentChoice("vm", List.of()));
  }

  @Test
  void malformed_yaml_is_a_422_with_the_line() {
    ApiError error = catchThrowableOfType(ApiError.class, () -> parser.parseYaml("name: [unclosed\nsteps: x"));
    assertThat(error.status()).isEqualTo(422);
    assertThat(error.details().toString()).contains("plan_yaml").contains("line");
  }

  @Test
  void a_stored_plan_reloads_to_the_same_plan() {
    var parsed = parser.parseYaml("name: x\nenv: {A: b}\nsteps: [{name: a, run: 'echo $A', timeout: 10s}]");
    assertThat(parser.reload(PlanParser.toJson(parsed.source()))).isEqualTo(parsed.plan());
  }

  @Test
  void only_a_test_step_without_a_command_may_say_why_it_cannot_run() {
    Plan plan = parser.parseYaml("name: t\nkind: test\nsteps: [{name: a, type: test, unrunnable: no command}]").plan();
    assertThat(plan.steps().getFirst().unrunnable()).isEqualTo("no command");
    assertThat(problems("name: x\nsteps: [{name: a, run: 'true', unrunnable: why}]")).containsKey("steps[0].unrunnable");
    assertThat(problems("name: x\nsteps: [{name: a, type: test, run: 'true', unrunnable: why}]"))
        .containsKey("steps[0].unrunnable");
    assertThat(problems("name: x\nsteps: [{name: a, type: test}]").get("steps[0].run")).contains("unrunnable");
  }
}
