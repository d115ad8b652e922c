package dev.stepwise.app;

import dev.stepwise.environments.EnvironmentSpec;
import dev.stepwise.environments.EnvironmentsParser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Builds the {@link Config} from its {@link ConfigSources} and checks every value at once, section
 * by section, so that one start-up attempt reports every bad setting, one line each, naming where
 * the value came from. How each kind of value is read is in {@link SettingValues}.
 */
public final class ConfigLoader {
  /** The settings file looked for in the data dir. */
  public static final String FILE_NAME = "stepwise.yaml";

  private final List<String> problems = new ArrayList<>();
  private final ConfigSources sources;
  private final Map<String, String> env;

  private ConfigLoader(Map<String, String> flags, Map<String, String> env, Path configFile) {
    this.sources = ConfigSources.read(flags, env, configFile, problems);
    this.env = env;
  }

  /**
   * @param flags command-line values by setting key (e.g. {@code port}); absent keys are not set
   * @param env the process environment
   * @param configFile an explicit settings file, or {@code null} for {@code <data-dir>/stepwise.yaml}
   */
  public static Config load(Map<String, String> flags, Map<String, String> env, Path configFile) {
    return new ConfigLoader(flags, env, configFile).build();
  }

  private Config build() {
    Path dataDir = Path.of(sources.get(Setting.DATA_DIR).text());
    Config.Server server = server();
    Config.Database database = new Config.Database(optional(Setting.DB_URL, SettingValues::databaseUrl),
        get(Setting.DB_POOL_SIZE, v -> SettingValues.intIn(v, 1, 200)));
    Config.Auth auth = auth();
    Config.Engine engine = engine();
    Config.Testing testing = new Config.Testing(optional(Setting.TESTING_SOURCE_ROOT, SettingValues::sourceRoot),
        testCommands(), get(Setting.TESTING_MAX_DIFF, SettingValues::bytes));
    Config.Model model = model();
    Set<String> origins = optional(Setting.WS_ALLOWED_ORIGINS, v -> SettingValues.origins(v, false));
    var webSocket = new Config.WebSocket(origins == null ? Set.of() : origins,
        get(Setting.WS_MAX_MESSAGE, SettingValues::bytes),
        get(Setting.WS_IDLE_TIMEOUT, v -> SettingValues.durationIn(v, Duration.ofSeconds(10), Duration.ofHours(24))));
    List<String> httpAllow = optional(Setting.TOOLS_HTTP_ALLOW, SettingValues::hosts);
    var tools = new Config.Tools(get(Setting.TOOLS_SAFE_COMMANDS, SettingValues::safeCommands),
        httpAllow == null ? Set.of() : Set.copyOf(httpAllow));
    List<Path> repositories = optional(Setting.TASKS_REPOSITORIES, SettingValues::directories);
    var tasks = new Config.Tasks(repositories == null ? List.of() : repositories,
        get(Setting.TASKS_AGENT, SettingValues::taskAgent), get(Setting.TASKS_OPENCODE_COMMAND, SettingValues::command));
    Config.Environments environments = environments();
    if (!problems.isEmpty()) throw new ConfigException(problems);
    return new Config(dataDir, server, database, auth, engine, testing, model, webSocket, tools, tasks, environments);
  }

  private Config.Server server() {
    String host = sources.get(Setting.HOST).text();
    if (host.isBlank()) problem(Setting.HOST, "must not be empty");
    else if (!SettingValues.resolvable(host)) {
      problem(Setting.HOST, "'" + host + "' is not an address of this machine or a name that resolves");
    }
    Set<String> cors = optional(Setting.CORS_ORIGINS, v -> SettingValues.origins(v, true));
    return new Config.Server(host, get(Setting.PORT, v -> SettingValues.intIn(v, 0, 65535)),
        get(Setting.MAX_BODY, SettingValues::bytes), get(Setting.SHUTDOWN_GRACE, SettingValues::duration),
        cors == null ? Set.of() : cors);
  }

  private Config.Auth auth() {
    return new Config.Auth(optional(Setting.DEMO_LOGIN, SettingValues::bool),
        optional(Setting.ADMIN_PASSWORD, SettingValues::adminPassword), optional(Setting.JWT_SECRET, SettingValues::key),
        get(Setting.TOKEN_TTL, v -> SettingValues.durationIn(v, Duration.ofMinutes(1), Duration.ofDays(1))),
        get(Setting.LOGIN_MAX_FAILURES, v -> SettingValues.intIn(v, 1, 1000)),
        get(Setting.LOGIN_LOCKOUT, SettingValues::duration), optional(Setting.SECRET_KEY, SettingValues::key));
  }

  private Config.Engine engine() {
    Long outputCap = get(Setting.OUTPUT_CAP, SettingValues::bytes);
    Long eventLine = get(Setting.MAX_EVENT_LINE, SettingValues::bytes);
    if (outputCap != null && eventLine != null && eventLine > outputCap) {
      problem(Setting.MAX_EVENT_LINE, "must not be larger than engine.output_cap (" + outputCap + " bytes)");
    }
    return new Config.Engine(get(Setting.WORKERS, v -> SettingValues.intIn(v, 1, 1024)),
        get(Setting.LEASE_TTL, v -> SettingValues.durationIn(v, Duration.ofSeconds(1), Duration.ofMinutes(10))),
        get(Setting.LABELS, SettingValues::labels),
        get(Setting.STEP_TIMEOUT, v -> SettingValues.durationIn(v, Duration.ofSeconds(1), Duration.ofDays(30))),
        outputCap == null ? 0 : outputCap, eventLine == null ? 0 : eventLine.intValue(),
        optional(Setting.NODE_ID, SettingValues::nodeId));
  }

  private Config.Environments environments() {
    var parser = new EnvironmentsParser(env);
    List<EnvironmentSpec> specs = parser.parse(sources.environments());
    parser.problems().forEach(problem -> problems.add("bad setting " + problem + " (from " + FILE_NAME + ")"));
    Map<String, String> secrets = new java.util.HashMap<>();
    for (EnvironmentSpec spec : specs) {
      switch (spec.authentication()) {
        case EnvironmentSpec.PasswordEnv password -> secrets.put(password.env(), env.get(password.env()));
        case EnvironmentSpec.KeyFile key -> {
          if (key.passphraseEnv() != null) secrets.put(key.passphraseEnv(), env.get(key.passphraseEnv()));
        }
      }
    }
    return new Config.Environments(specs, secrets);
  }

  private Map<String, String> testCommands() {
    Map<String, String> commands = new java.util.TreeMap<>();
    String fallback = optional(Setting.TESTING_DEFAULT_COMMAND, SettingValues::template);
    if (fallback != null) commands.put("default", fallback);
    sources.testCommands().forEach((key, source) -> {
      String subsystem = key.substring(Setting.TEST_COMMANDS_PREFIX.length());
      if (!subsystem.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
        problems.add("bad setting " + key + " (from " + source.origin() + "): a subsystem name is 1 to 100 letters, "
            + "digits, '.', '_' or '-'");
        return;
      }
      try {
        if (source.text() != null) commands.put(subsystem, SettingValues.template(source.text()));
      } catch (IllegalArgumentException e) {
        problems.add("bad setting " + key + " = '" + source.text() + "' (from " + source.origin() + "): " + e.getMessage());
      }
    });
    return commands;
  }

  private Config.Model model() {
    String provider = optional(Setting.MODEL_PROVIDER, SettingValues::provider);
    String baseUrl = optional(Setting.MODEL_BASE_URL, SettingValues::httpUrl);
    String name = optional(Setting.MODEL_NAME, String::trim);
    String apiKey = optional(Setting.MODEL_API_KEY, String::trim);
    Duration timeout = get(Setting.MODEL_TIMEOUT, v -> SettingValues.durationIn(v, Duration.ofSeconds(1), Duration.ofMinutes(30)));
    if (provider != null && name == null) problem(Setting.MODEL_NAME, "is required when model.provider is set");
    if (provider == null && (baseUrl != null || name != null)) {
      problem(Setting.MODEL_PROVIDER, "is required when model.base_url or model.name is set (use openai)");
    }
    return new Config.Model(provider, baseUrl, name, apiKey, timeout);
  }

  private <T> T optional(Setting setting, Function<String, T> parse) {
    String text = sources.get(setting).text();
    return text == null || text.isEmpty() ? null : get(setting, parse);
  }

  private <T> T get(Setting setting, Function<String, T> parse) {
    ConfigSources.Source source = sources.get(setting);
    try {
      return parse.apply(source.text());
    } catch (IllegalArgumentException e) {
      String shown = setting.secret() ? "(hidden)" : "'" + source.text() + "'";
      problems.add("bad setting " + setting.key() + " = " + shown + " (from " + source.origin() + "): " + e.getMessage());
      // the default stands in, so that every other setting is still checked; the problems stop start-up
      return setting.defaultValue() == null ? null : parse.apply(setting.defaultValue());
    }
  }

  private void problem(Setting setting, String reason) {
    problems.add("bad setting " + setting.key() + " (from " + sources.get(setting).origin() + "): " + reason);
  }
}
