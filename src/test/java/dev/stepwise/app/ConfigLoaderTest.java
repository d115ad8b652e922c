package dev.stepwise.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dataDir;

  private Config load(Map<String, String> flags, Map<String, String> env) {
    var allFlags = new java.util.HashMap<>(flags);
    allFlags.putIfAbsent("data_dir", dataDir.toString());
    return ConfigLoader.load(allFlags, env, null);
  }

  @Test
  void defaults_give_a_loopback_server_on_8000_with_sqlite_in_the_data_dir() {
    Config config = load(Map.of(), Map.of());
    assertThat(config.server().host()).isEqualTo("127.0.0.1");
    assertThat(config.server().port()).isEqualTo(8000);
    assertThat(config.databaseUrl()).isEqualTo("jdbc:sqlite:" + dataDir.toAbsolutePath().resolve("stepwise.db"));
    assertThat(config.demoLoginEnabled()).isTrue();
    assertThat(config.auth().tokenTtl()).isEqualTo(Duration.ofMinutes(30));
  }

  @Test
  void flags_beat_env_which_beats_the_file_which_beats_defaults() throws Exception {
    Files.writeString(dataDir.resolve("stepwise.yaml"), """
        host: 127.0.0.2
        port: 7000
        auth:
          token_ttl: 10m
        database:
          pool_size: 3
        """);
    Config config = load(Map.of("port", "9000"), Map.of("STEPWISE_PORT", "8500", "STEPWISE_HOST", "127.0.0.3"));
    assertThat(config.server().port()).isEqualTo(9000);
    assertThat(config.server().host()).isEqualTo("127.0.0.3");
    assertThat(config.auth().tokenTtl()).isEqualTo(Duration.ofMinutes(10));
    assertThat(config.database().poolSize()).isEqualTo(3);
  }

  @Test
  void the_data_dir_can_come_from_the_environment() {
    Config config = ConfigLoader.load(Map.of(), Map.of("STEPWISE_DATA_DIR", dataDir.resolve("x").toString()), null);
    assertThat(config.dataDir()).isEqualTo(dataDir.resolve("x"));
  }

  @Test
  void every_bad_setting_gets_one_line_naming_it_and_where_it_came_from() throws Exception {
    Files.writeString(dataDir.resolve("stepwise.yaml"), "auth:\n  token_tll: 5m\n");
    var error = catchThrowableOfType(ConfigException.class, () -> load(Map.of("port", "eighty"),
        Map.of("STEPWISE_DEMO_LOGIN", "maybe", "STEPWISE_DB_URL", "mysql://x", "STEPWISE_TOKEN_TTL", "2d")));
    assertThat(error.problems()).hasSize(5);
    assertThat(error.problems()).anySatisfy(line -> assertThat(line)
        .contains("port").contains("--port").contains("whole number"));
    assertThat(error.problems()).anySatisfy(line -> assertThat(line)
        .contains("auth.demo_login").contains("STEPWISE_DEMO_LOGIN").contains("true or false"));
    assertThat(error.problems()).anySatisfy(line -> assertThat(line)
        .contains("database.url").contains("jdbc:postgresql"));
    assertThat(error.problems()).anySatisfy(line -> assertThat(line)
        .contains("auth.token_ttl").contains("between 1m and 1d"));
    assertThat(error.problems()).anySatisfy(line -> assertThat(line)
        .contains("unknown setting 'auth.token_tll'").contains("stepwise.yaml"));
  }

  @Test
  void secret_values_are_never_echoed_in_errors() {
    var error = catchThrowableOfType(ConfigException.class, () -> load(Map.of(),
        Map.of("STEPWISE_ADMIN_PASSWORD", "short", "STEPWISE_JWT_SECRET", "not-base64-secret!")));
    assertThat(error.problems()).hasSize(2).allSatisfy(line -> assertThat(line)
        .doesNotContain("short").doesNotContain("not-base64-secret!").contains("(hidden)"));
  }

  @Test
  void binding_a_public_address_turns_demo_login_off_unless_asked_for() {
    assertThat(load(Map.of("host", "0.0.0.0"), Map.of()).demoLoginEnabled()).isFalse();
    assertThat(load(Map.of("host", "0.0.0.0"), Map.of("STEPWISE_DEMO_LOGIN", "true")).demoLoginEnabled()).isTrue();
    assertThat(load(Map.of(), Map.of("STEPWISE_DEMO_LOGIN", "false")).demoLoginEnabled()).isFalse();
    assertThat(load(Map.of("host", "localhost"), Map.of()).demoLoginEnabled()).isTrue();
  }

  @Test
  void an_explicit_settings_file_that_is_missing_is_an_error() {
    var error = catchThrowableOfType(ConfigException.class,
        () -> ConfigLoader.load(Map.of("data_dir", dataDir.toString()), Map.of(), dataDir.resolve("nope.yaml")));
    assertThat(error.problems()).singleElement().asString().contains("cannot read settings file");
  }

  @Test
  void test_commands_come_per_subsystem_from_the_file_and_the_default_from_the_environment() throws Exception {
    Files.writeString(dataDir.resolve("stepwise.yaml"), """
        testing:
          source_root: %s
          commands:
            default: "make -C {source_root} test TEST={test_name}"
            net: "./run.sh net {function_name}"
        model:
          provider: openai
          base_url: http://127.0.0.1:11434/v1/
          name: qwen2.5-coder:7b
        """.formatted(dataDir));
    Config config = load(Map.of(), Map.of("STEPWISE_TESTING_COMMAND", "make check T={test_name}",
        "STEPWISE_MODEL_API_KEY", "sk-secret"));
    assertThat(config.testing().sourceRoot()).isEqualTo(dataDir.toAbsolutePath().normalize());
    assertThat(config.testing().commands()).containsEntry("default", "make check T={test_name}")
        .containsEntry("net", "./run.sh net {function_name}");
    assertThat(config.model().baseUrl()).isEqualTo("http://127.0.0.1:11434/v1");
    assertThat(config.model().toString()).doesNotContain("sk-secret");
  }

  @Test
  void task_settings_come_from_the_file_as_a_list_and_bad_ones_are_named() throws Exception {
    Path repos = Files.createDirectories(dataDir.resolve("repos"));
    Path more = Files.createDirectories(dataDir.resolve("more"));
    Files.writeString(dataDir.resolve("stepwise.yaml"), """
        tasks:
          repositories: [%s, %s]
          agent: native
          opencode:
            command: /opt/opencode/bin/opencode
        """.formatted(repos, more));
    Config config = load(Map.of(), Map.of());
    assertThat(config.tasks().repositories()).containsExactly(repos.normalize(), more.normalize());
    assertThat(config.tasks().agent()).isEqualTo("native");
    assertThat(config.tasks().opencodeCommand()).isEqualTo("/opt/opencode/bin/opencode");
    assertThat(load(Map.of(), Map.of("STEPWISE_TASKS_REPOSITORIES", repos.toString())).tasks().repositories())
        .containsExactly(repos.normalize());

    Files.writeString(dataDir.resolve("stepwise.yaml"), """
        tasks:
          repositories: [relative/dir, /no/such/dir]
          agent: copilot
        """);
    var error = catchThrowableOfType(ConfigException.class, () -> load(Map.of(), Map.of()));
    assertThat(error.problems()).anySatisfy(line -> assertThat(line).contains("tasks.repositories")
        .contains("absolute"));
    assertThat(error.problems()).anySatisfy(line -> assertThat(line).contains("tasks.agent")
        .contains("opencode or native"));
  }

  @Test
  void bad_testing_and_model_settings_are_named() throws Exception {
    Files.writeString(dataDir.resolve("stepwise.yaml"), """
        testing:
          source_root: /no/such/dir
          commands:
            net: "run {function} now"
            "bad name": "x"
        model:
          provider: claude-direct
          base_url: https://alice:s3cret@llm.internal/v1
        """);
    var error = catchThrowableOfType(ConfigException.class, () -> load(Map.of(), Map.of()));
    assertThat(error.problems()).anySatisfy(line -> assertThat(line).contains("testing.source_root")
        .contains("existing directory"));
    assertThat(error.problems()).anySatisfy(line -> assertThat(line).contains("testing.commands.net")
        .contains("unknown placeholder {function}"));
    assertThat(error.problems()).anySatisfy(line -> assertThat(line).contains("testing.commands.bad name"));
    assertThat(error.problems()).anySatisfy(line -> assertThat(line).contains("model.provider").contains("openai"));
    assertThat(error.problems()).anySatisfy(line -> assertThat(line).contains("model.base_url")
        .contains("must not carry credentials").doesNotContain("s3cret"));
  }

  @Test
  void the_live_line_limit_cors_origins_and_the_secret_key_are_settings() throws Exception {
    Files.writeString(dataDir.resolve("stepwise.yaml"), """
        engine:
          max_event_line: 16KB
        http:
          cors_origins: [https://ops.example.com, "HTTPS://Other.example.com/"]
        """);
    String key = java.util.Base64.getEncoder().encodeToString(new byte[32]);
    Config config = load(Map.of(), Map.of("STEPWISE_SECRET_KEY", key));
    assertThat(config.engine().maxEventLineBytes()).isEqualTo(16 * 1024);
    assertThat(config.server().corsOrigins()).containsExactlyInAnyOrder("https://ops.example.com", "https://other.example.com");
    assertThat(config.auth().secretKey()).isEqualTo(key);
    assertThat(config.auth().toString()).doesNotContain(key);
    Config defaults = ConfigLoader.load(Map.of("data_dir", dataDir.resolve("fresh").toString()), Map.of(), null);
    assertThat(defaults.engine().maxEventLineBytes()).isEqualTo(8 * 1024);
    assertThat(defaults.server().corsOrigins()).isEmpty();
  }

  @Test
  void bad_limits_origins_and_keys_are_refused_with_the_setting_named_and_the_key_hidden() {
    var error = catchThrowableOfType(ConfigException.class, () -> load(Map.of(), Map.of(
        "STEPWISE_MAX_EVENT_LINE", "2MB", "STEPWISE_CORS_ORIGINS", "*,https://a.example.com",
        "STEPWISE_SECRET_KEY", "too-short")));
    assertThat(error.problems()).anyMatch(p -> p.startsWith("bad setting engine.max_event_line") && p.contains("output_cap"))
        .anyMatch(p -> p.startsWith("bad setting http.cors_origins") && p.contains("* stands alone"))
        .anyMatch(p -> p.startsWith("bad setting secrets.key = (hidden)"));
    assertThat(String.join("\n", error.problems())).doesNotContain("too-short");
  }
}
