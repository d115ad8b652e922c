package dev.stepwise.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.stepwise.plans.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds the {@link Config} from defaults, the settings file, environment variables and flags
 * (later sources win), and validates every value at once so that one start-up attempt reports
 * every bad setting, one line each.
 */
public final class ConfigLoader {
  /** The settings file looked for in the data dir. */
  public static final String FILE_NAME = "stepwise.yaml";

  private record Source(String text, String origin) {}

  private final Map<String, Source> values = new LinkedHashMap<>();
  private final List<String> problems = new ArrayList<>();
  private final Map<String, Source> testCommands = new java.util.TreeMap<>();

  private ConfigLoader() {}

  /**
   * @param flags command-line values by setting key (e.g. {@code port}); absent keys are not set
   * @param env the process environment
   * @param configFile an explicit settings file, or {@code null} for {@code <data-dir>/stepwise.yaml}
   */
  public static Config load(Map<String, String> flags, Map<String, String> env, Path configFile) {
    var loader = new ConfigLoader();
    Setting.all().forEach(s -> loader.values.put(s.key(), new Source(s.defaultValue(), "default")));
    loader.overlayEnv(env, Setting.DATA_DIR);
    loader.overlayFlag(flags, Setting.DATA_DIR);
    Path dataDir = Path.of(loader.values.get(Setting.DATA_DIR.key()).text());
    Path file = configFile != null ? configFile : dataDir.resolve(FILE_NAME);
    if (configFile != null || Files.exists(file)) loader.readFile(file);
    for (Setting setting : Setting.all()) loader.overlayEnv(env, setting);
    for (Setting setting : Setting.all()) loader.overlayFlag(flags, setting);
    return loader.build();
  }

  private void overlayEnv(Map<String, String> env, Setting setting) {
    String value = env.get(setting.env());
    if (value != null && !value.isEmpty()) values.put(setting.key(), new Source(value, setting.env()));
  }

  private void overlayFlag(Map<String, String> flags, Setting setting) {
    String value = flags.get(setting.key());
    if (value != null) values.put(setting.key(), new Source(value, "--" + setting.key().replace('_', '-')));
  }

  private void readFile(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (IOException e) {
      problems.add("cannot read settings file " + file + ": " + firstLine(e.getMessage()));
      return;
    }
    if (root == null || root.isMissingNode() || root.isNull()) return;
    if (!root.isObject()) {
      problems.add("settings file " + file + " must be a mapping of settings");
      return;
    }
    flatten("", root, file.getFileName().toString());
  }

  private void flatten(String prefix, JsonNode node, String origin) {
    node.fields().forEachRemaining(field -> {
      String key = prefix + field.getKey();
      JsonNode value = field.getValue();
      if (value.isObject()) {
        flatten(key + ".", value, origin);
      } else if (key.startsWith(Setting.TEST_COMMANDS_PREFIX) && Setting.byKey(key) == null) {
        testCommands.put(key, new Source(value.isNull() ? null : value.asText(), origin));
      } else if (Setting.byKey(key) == null) {
        problems.add("unknown setting '" + key + "' in " + origin + "; known settings: "
            + String.join(", ", Setting.all().stream().map(Setting::key).toList()));
      } else if (!value.isNull()) {
        values.put(key, new Source(value.asText(), origin));
      }
    });
  }

  private Config build() {
    Path dataDir = Path.of(text(Setting.DATA_DIR));
    String host = text(Setting.HOST);
    if (host.isBlank()) problem(Setting.HOST, "must not be empty");
    else if (!resolvable(host)) problem(Setting.HOST, "'" + host + "' is not an address of this machine or a name that resolves");
    Integer port = get(Setting.PORT, v -> intIn(v, 0, 65535));
    Long maxBody = get(Setting.MAX_BODY, ConfigLoader::bytes);
    Duration shutdownGrace = get(Setting.SHUTDOWN_GRACE, ConfigLoader::duration);
    String dbUrl = optional(Setting.DB_URL, ConfigLoader::databaseUrl);
    Integer poolSize = get(Setting.DB_POOL_SIZE, v -> intIn(v, 1, 200));
    Boolean demoLogin = optional(Setting.DEMO_LOGIN, ConfigLoader::bool);
    String adminPassword = optional(Setting.ADMIN_PASSWORD, ConfigLoader::adminPassword);
    String jwtSecret = optional(Setting.JWT_SECRET, ConfigLoader::jwtSecret);
    Duration tokenTtl = get(Setting.TOKEN_TTL, v -> durationIn(v, Duration.ofMinutes(1), Duration.ofDays(1)));
    Integer maxFailures = get(Setting.LOGIN_MAX_FAILURES, v -> intIn(v, 1, 1000));
    Duration lockout = get(Setting.LOGIN_LOCKOUT, ConfigLoader::duration);
    Integer workers = get(Setting.WORKERS, v -> intIn(v, 1, 1024));
    Duration leaseTtl = get(Setting.LEASE_TTL, v -> durationIn(v, Duration.ofSeconds(1), Duration.ofMinutes(10)));
    List<String> labels = get(Setting.LABELS, ConfigLoader::labels);
    Duration stepTimeout = get(Setting.STEP_TIMEOUT, v -> durationIn(v, Duration.ofSeconds(1), Duration.ofDays(30)));
    Long outputCap = get(Setting.OUTPUT_CAP, ConfigLoader::bytes);
    String nodeId = optional(Setting.NODE_ID, ConfigLoader::nodeId);
    Path sourceRoot = optional(Setting.TESTING_SOURCE_ROOT, ConfigLoader::sourceRoot);
    Map<String, String> commands = testCommands();
    Long maxDiff = get(Setting.TESTING_MAX_DIFF, ConfigLoader::bytes);
    Config.Model model = model();
    java.util.Set<String> origins = optional(Setting.WS_ALLOWED_ORIGINS, ConfigLoader::origins);
    Long maxMessage = get(Setting.WS_MAX_MESSAGE, ConfigLoader::bytes);
    Duration idle = get(Setting.WS_IDLE_TIMEOUT, v -> durationIn(v, Duration.ofSeconds(10), Duration.ofHours(24)));
    List<String> safeCommands = get(Setting.TOOLS_SAFE_COMMANDS, ConfigLoader::safeCommands);
    List<String> httpAllow = optional(Setting.TOOLS_HTTP_ALLOW, ConfigLoader::hosts);
    if (!problems.isEmpty()) throw new ConfigException(problems);
    return new Config(dataDir,
        new Config.Server(host, port, maxBody, shutdownGrace),
        new Config.Database(dbUrl, poolSize),
        new Config.Auth(demoLogin, adminPassword, jwtSecret, tokenTtl, maxFailures, lockout),
        new Config.Engine(workers, leaseTtl, labels, stepTimeout, outputCap, nodeId),
        new Config.Testing(sourceRoot, commands, maxDiff), model,
        new Config.WebSocket(origins == null ? java.util.Set.of() : origins, maxMessage, idle),
        new Config.Tools(safeCommands, httpAllow == null ? java.util.Set.of() : java.util.Set.copyOf(httpAllow)));
  }

  private static final java.util.regex.Pattern SAFE_COMMAND = java.util.regex.Pattern.compile("[A-Za-z0-9._/-]+( [A-Za-z0-9._/=-]+)*");
  private static final java.util.regex.Pattern HOST = java.util.regex.Pattern.compile("[A-Za-z0-9.:-]{1,253}");

  private static List<String> safeCommands(String text) {
    List<String> commands = new java.util.ArrayList<>();
    for (String part : text.split(",")) {
      String command = part.trim().replaceAll(" +", " ");
      if (command.isEmpty()) continue;
      if (!SAFE_COMMAND.matcher(command).matches()) {
        throw new IllegalArgumentException("'" + command + "' is not a plain command: use words such as 'git status', no shell syntax");
      }
      commands.add(command);
    }
    return commands;
  }

  private static List<String> hosts(String text) {
    List<String> hosts = new java.util.ArrayList<>();
    for (String part : text.split(",")) {
      String host = part.trim().toLowerCase(java.util.Locale.ROOT);
      if (host.isEmpty()) continue;
      if (!HOST.matcher(host).matches()) throw new IllegalArgumentException("'" + host + "' is not a host name or address");
      hosts.add(host);
    }
    return hosts;
  }

  private Map<String, String> testCommands() {
    Map<String, String> commands = new java.util.TreeMap<>();
    String fallback = optional(Setting.TESTING_DEFAULT_COMMAND, ConfigLoader::template);
    if (fallback != null) commands.put("default", fallback);
    testCommands.forEach((key, source) -> {
      String subsystem = key.substring(Setting.TEST_COMMANDS_PREFIX.length());
      if (!subsystem.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
        problems.add("bad setting " + key + " (from " + source.origin() + "): a subsystem name is 1 to 100 letters, "
            + "digits, '.', '_' or '-'");
        return;
      }
      try {
        if (source.text() != null) commands.put(subsystem, template(source.text()));
      } catch (IllegalArgumentException e) {
        problems.add("bad setting " + key + " = '" + source.text() + "' (from " + source.origin() + "): " + e.getMessage());
      }
    });
    return commands;
  }

  private Config.Model model() {
    String provider = optional(Setting.MODEL_PROVIDER, ConfigLoader::provider);
    String baseUrl = optional(Setting.MODEL_BASE_URL, ConfigLoader::httpUrl);
    String name = optional(Setting.MODEL_NAME, String::trim);
    String apiKey = optional(Setting.MODEL_API_KEY, String::trim);
    Duration timeout = get(Setting.MODEL_TIMEOUT, v -> durationIn(v, Duration.ofSeconds(1), Duration.ofMinutes(30)));
    if (provider != null && name == null) problem(Setting.MODEL_NAME, "is required when model.provider is set");
    if (provider == null && (baseUrl != null || name != null)) {
      problem(Setting.MODEL_PROVIDER, "is required when model.base_url or model.name is set (use openai)");
    }
    return new Config.Model(provider, baseUrl, name, apiKey, timeout);
  }

  private static Path sourceRoot(String text) {
    Path path = Path.of(text.trim()).toAbsolutePath().normalize();
    if (!Files.isDirectory(path)) throw new IllegalArgumentException("must be an existing directory");
    return path;
  }

  /** The placeholders a test command template may use. */
  static final List<String> PLACEHOLDERS = List.of("source_root", "test_name", "function_name", "file_path", "subsystem");

  private static String template(String text) {
    if (text.isBlank()) throw new IllegalArgumentException("must not be empty");
    var matcher = java.util.regex.Pattern.compile("\\{([^{}]*)}").matcher(text);
    while (matcher.find()) {
      if (!PLACEHOLDERS.contains(matcher.group(1))) {
        throw new IllegalArgumentException("unknown placeholder {" + matcher.group(1) + "}; known: "
            + String.join(", ", PLACEHOLDERS.stream().map(p -> "{" + p + "}").toList()));
      }
    }
    return text;
  }

  private static java.util.Set<String> origins(String text) {
    java.util.Set<String> origins = new java.util.LinkedHashSet<>();
    for (String origin : text.split(",")) {
      String trimmed = origin.trim().replaceAll("/+$", "");
      if (trimmed.isEmpty()) continue;
      if (!trimmed.matches("https?://[A-Za-z0-9.\\-\\[\\]:]+")) {
        throw new IllegalArgumentException("must be a comma-separated list of origins such as https://ops.example.com");
      }
      origins.add(trimmed);
    }
    return origins;
  }

  private static String provider(String text) {
    String provider = text.trim().toLowerCase();
    if (!provider.equals("openai")) {
      throw new IllegalArgumentException("must be openai (any OpenAI-compatible server: OpenAI, Ollama, vLLM, "
          + "llama.cpp; set model.base_url)");
    }
    return provider;
  }

  private static String httpUrl(String text) {
    try {
      var uri = java.net.URI.create(text.trim());
      if (uri.getUserInfo() != null) {
        throw new IllegalArgumentException("must not carry credentials; set model.api_key (STEPWISE_MODEL_API_KEY)");
      }
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
        return text.trim().replaceAll("/+$", "");
      }
    } catch (IllegalArgumentException e) {
      if (e.getMessage() != null && e.getMessage().startsWith("must not carry")) throw e;
    }
    throw new IllegalArgumentException("must be an http:// or https:// URL such as http://127.0.0.1:11434/v1");
  }

  private String text(Setting setting) {
    return values.get(setting.key()).text();
  }

  private <T> T optional(Setting setting, Function<String, T> parse) {
    String text = values.get(setting.key()).text();
    return text == null || text.isEmpty() ? null : get(setting, parse);
  }

  private <T> T get(Setting setting, Function<String, T> parse) {
    Source source = values.get(setting.key());
    try {
      return parse.apply(source.text());
    } catch (IllegalArgumentException e) {
      String shown = setting.secret() ? "(hidden)" : "'" + source.text() + "'";
      problems.add("bad setting " + setting.key() + " = " + shown + " (from " + source.origin()
          + "): " + e.getMessage());
      return null;
    }
  }

  private void problem(Setting setting, String reason) {
    problems.add("bad setting " + setting.key() + " (from "
        + values.get(setting.key()).origin() + "): " + reason);
  }

  private static boolean resolvable(String host) {
    try {
      java.net.InetAddress.getByName(host);
      return true;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }

  private static int intIn(String text, int min, int max) {
    try {
      int value = Integer.parseInt(text.trim());
      if (value >= min && value <= max) return value;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException("must be a whole number from " + min + " to " + max);
  }

  private static Duration duration(String text) {
    return Durations.parse(text);
  }

  private static Duration durationIn(String text, Duration min, Duration max) {
    Duration value = Durations.parse(text);
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException("must be between " + Durations.format(min) + " and "
          + Durations.format(max));
    }
    return value;
  }

  private static boolean bool(String text) {
    return switch (text.trim().toLowerCase()) {
      case "true", "yes", "1", "on" -> true;
      case "false", "no", "0", "off" -> false;
      default -> throw new IllegalArgumentException("must be true or false");
    };
  }

  private static long bytes(String text) {
    var matcher = java.util.regex.Pattern.compile("(\\d{1,12})\\s*(|b|kb|kib|mb|mib)")
        .matcher(text.trim().toLowerCase());
    if (!matcher.matches()) {
      throw new IllegalArgumentException("must be a size such as 1048576, 512KB or 1MB");
    }
    long value = Long.parseLong(matcher.group(1));
    long size = switch (matcher.group(2)) {
      case "kb", "kib" -> value * 1024;
      case "mb", "mib" -> value * 1024 * 1024;
      default -> value;
    };
    if (size < 1024 || size > 256L * 1024 * 1024) {
      throw new IllegalArgumentException("must be between 1KB and 256MB");
    }
    return size;
  }

  private static List<String> labels(String text) {
    List<String> labels = java.util.Arrays.stream(text.split(",")).map(String::trim).filter(l -> !l.isEmpty()).toList();
    if (labels.isEmpty() || labels.stream().anyMatch(l -> !l.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}"))) {
      throw new IllegalArgumentException("must be a comma-separated list of labels such as local,linux");
    }
    return labels;
  }

  private static String nodeId(String text) {
    if (!text.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
      throw new IllegalArgumentException("must be 1 to 64 letters, digits, '.', '_' or '-'");
    }
    return text;
  }

  private static String databaseUrl(String text) {
    if (text.startsWith("jdbc:postgresql:") || text.startsWith("jdbc:sqlite:")) return text;
    throw new IllegalArgumentException(
        "must be a jdbc:postgresql://host:port/db?user=... or jdbc:sqlite:FILE URL");
  }

  private static String adminPassword(String text) {
    if (text.length() < 8) throw new IllegalArgumentException("must be at least 8 characters");
    return text;
  }

  private static String jwtSecret(String text) {
    try {
      if (Base64.getDecoder().decode(text.trim()).length >= 32) return text.trim();
    } catch (IllegalArgumentException ignored) {
      // reported below
    }
    throw new IllegalArgumentException(
        "must be base64 of at least 32 random bytes (e.g. `openssl rand -base64 32`)");
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }
}
