package dev.stepwise.app;

import java.util.Arrays;
import java.util.List;

/**
 * The known settings: their key in {@code stepwise.yaml} (dotted for nesting), the environment
 * variable that sets them and the default. Flags use the key with dashes.
 */
enum Setting {
  DATA_DIR("data_dir", "STEPWISE_DATA_DIR", "./data", false),
  HOST("host", "STEPWISE_HOST", "127.0.0.1", false),
  PORT("port", "STEPWISE_PORT", "8000", false),
  MAX_BODY("http.max_body", "STEPWISE_MAX_BODY", "1MB", false),
  SHUTDOWN_GRACE("http.shutdown_grace", "STEPWISE_SHUTDOWN_GRACE", "10s", false),
  CORS_ORIGINS("http.cors_origins", "STEPWISE_CORS_ORIGINS", null, false),
  DB_URL("database.url", "STEPWISE_DB_URL", null, true),
  DB_POOL_SIZE("database.pool_size", "STEPWISE_DB_POOL_SIZE", "10", false),
  DEMO_LOGIN("auth.demo_login", "STEPWISE_DEMO_LOGIN", null, false),
  ADMIN_PASSWORD("auth.admin_password", "STEPWISE_ADMIN_PASSWORD", null, true),
  JWT_SECRET("auth.jwt_secret", "STEPWISE_JWT_SECRET", null, true),
  SECRET_KEY("secrets.key", "STEPWISE_SECRET_KEY", null, true),
  TOKEN_TTL("auth.token_ttl", "STEPWISE_TOKEN_TTL", "30m", false),
  LOGIN_MAX_FAILURES("auth.login_max_failures", "STEPWISE_LOGIN_MAX_FAILURES", "5", false),
  LOGIN_LOCKOUT("auth.login_lockout", "STEPWISE_LOGIN_LOCKOUT", "5m", false),
  WORKERS("engine.workers", "STEPWISE_WORKERS", "8", false),
  LEASE_TTL("engine.lease_ttl", "STEPWISE_LEASE_TTL", "15s", false),
  LABELS("engine.labels", "STEPWISE_LABELS", "local,linux", false),
  STEP_TIMEOUT("engine.step_timeout", "STEPWISE_STEP_TIMEOUT", "1h", false),
  OUTPUT_CAP("engine.output_cap", "STEPWISE_OUTPUT_CAP", "1MB", false),
  MAX_EVENT_LINE("engine.max_event_line", "STEPWISE_MAX_EVENT_LINE", "8KB", false),
  NODE_ID("engine.node_id", "STEPWISE_NODE_ID", null, false),
  TESTING_SOURCE_ROOT("testing.source_root", "STEPWISE_TESTING_SOURCE_ROOT", null, false),
  TESTING_DEFAULT_COMMAND("testing.commands.default", "STEPWISE_TESTING_COMMAND", null, false),
  TESTING_MAX_DIFF("testing.max_diff", "STEPWISE_TESTING_MAX_DIFF", "512KB", false),
  MODEL_PROVIDER("model.provider", "STEPWISE_MODEL_PROVIDER", null, false),
  MODEL_BASE_URL("model.base_url", "STEPWISE_MODEL_BASE_URL", null, true),
  MODEL_NAME("model.name", "STEPWISE_MODEL_NAME", null, false),
  MODEL_API_KEY("model.api_key", "STEPWISE_MODEL_API_KEY", null, true),
  MODEL_TIMEOUT("model.timeout", "STEPWISE_MODEL_TIMEOUT", "60s", false),
  WS_ALLOWED_ORIGINS("websocket.allowed_origins", "STEPWISE_WS_ALLOWED_ORIGINS", null, false),
  WS_MAX_MESSAGE("websocket.max_message", "STEPWISE_WS_MAX_MESSAGE", "64KB", false),
  WS_IDLE_TIMEOUT("websocket.idle_timeout", "STEPWISE_WS_IDLE_TIMEOUT", "5m", false),
  TOOLS_SAFE_COMMANDS("tools.safe_commands", "STEPWISE_TOOLS_SAFE_COMMANDS",
      "ls,pwd,cat,head,tail,wc,grep,echo,date,uname,git status,git diff,git log", false),
  TOOLS_HTTP_ALLOW("tools.http_allow", "STEPWISE_TOOLS_HTTP_ALLOW", null, false),
  TASKS_REPOSITORIES("tasks.repositories", "STEPWISE_TASKS_REPOSITORIES", null, false),
  TASKS_AGENT("tasks.agent", "STEPWISE_TASKS_AGENT", "opencode", false),
  TASKS_OPENCODE_COMMAND("tasks.opencode.command", "STEPWISE_OPENCODE_COMMAND", "opencode", false);

  /** File keys under this prefix name a test command per subsystem ({@code testing.commands.net}). */
  static final String TEST_COMMANDS_PREFIX = "testing.commands.";

  private final String key;
  private final String env;
  private final String defaultValue;
  private final boolean secret;

  Setting(String key, String env, String defaultValue, boolean secret) {
    this.key = key;
    this.env = env;
    this.defaultValue = defaultValue;
    this.secret = secret;
  }

  String key() { return key; }

  String env() { return env; }

  String defaultValue() { return defaultValue; }

  /** Whether the value must never be echoed (it may carry a password). */
  boolean secret() { return secret; }

  static List<Setting> all() {
    return Arrays.asList(values());
  }

  static Setting byKey(String key) {
    return all().stream().filter(s -> s.key.equals(key)).findFirst().orElse(null);
  }
}
