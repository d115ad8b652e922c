package dev.stepwise.testing;

import dev.stepwise.app.App;
import dev.stepwise.app.Config;
import dev.stepwise.auth.Role;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

/**
 * The real server on a free port with a temp data dir and a test database, plus a client for it.
 * Built with {@link #builder}; close to stop it and drop the database.
 */
public final class TestServer implements AutoCloseable {
  public static final String ADMIN_PASSWORD = "admin-password-1";
  /** A fixed signing key so that tests can forge tokens signed with the right and wrong keys. */
  public static final byte[] SIGNING_KEY = "0123456789abcdef0123456789abcdef".getBytes();
  /** The key that seals plan secrets, fixed as several nodes would share it. */
  public static final byte[] SECRET_KEY = "fedcba9876543210fedcba9876543210".getBytes();

  private final App app;
  private final TestDatabase database;
  private final Config config;
  private final ApiClient client;
  private final java.util.Map<Role, String> tokens = new java.util.concurrent.ConcurrentHashMap<>();

  private TestServer(Config config, TestDatabase database) {
    this.config = config;
    this.database = database;
    this.app = App.start(config, Clock.systemUTC(), new PrintStream(new ByteArrayOutputStream()));
    this.client = new ApiClient("http://127.0.0.1:" + app.port());
  }

  public static Builder builder(TestDatabase database) {
    return new Builder(database);
  }

  public ApiClient client() {
    return client;
  }

  public App app() {
    return app;
  }

  public Config config() {
    return config;
  }

  public TestDatabase database() {
    return database;
  }

  public int port() {
    return app.port();
  }

  /**
   * A session token for a user of {@code role}: the first admin, the demo user, or a user made
   * for the purpose through the API (once per server).
   */
  public String tokenFor(Role role) {
    // the admin's token first, outside the map's update: making another role's user needs it
    String admin = tokens.computeIfAbsent(Role.ADMIN, r -> client.login("admin", ADMIN_PASSWORD));
    return tokens.computeIfAbsent(role, r -> switch (r) {
      case ADMIN -> admin;
      case DEMO -> client.demoLogin();
      default -> {
        String username = r.wireName() + "-user";
        var created = client.post("/api/v1/users", admin,
            java.util.Map.of("username", username, "password", "password-" + username, "role", r.wireName()));
        if (created.status() != 201) throw new AssertionError("cannot create " + username + ": " + created.text());
        yield client.login(username, "password-" + username);
      }
    });
  }

  /**
   * A session token for the first admin, logged in once per server: a login costs a bcrypt
   * verification (a tenth of a second of CPU), and tests ask for the token in polling loops.
   */
  public String adminToken() {
    return tokenFor(Role.ADMIN);
  }

  /** Stops this server (as a shutdown would) and starts a new one on the same data dir and database. */
  public TestServer restart() {
    app.close();
    var restarted = new TestServer(config, database);
    restarted.tokens.putAll(tokens); // the users and the signing key are the same
    return restarted;
  }

  @Override
  public void close() {
    app.close();
    database.close();
  }

  /** Settings for a test server; defaults suit most tests. */
  public static final class Builder {
    private final TestDatabase database;
    private String host = "127.0.0.1";
    private Boolean demoLogin;
    private long maxBody = 64 * 1024;
    private int maxFailures = 5;
    private Duration tokenTtl = Duration.ofMinutes(30);
    private int workers = 4;
    private Duration stepTimeout = Duration.ofMinutes(5);
    private long outputCap = 1024 * 1024;
    private int maxEventLine = Config.Engine.DEFAULT_MAX_EVENT_LINE;
    private java.util.Set<String> corsOrigins = java.util.Set.of();
    private Config.Testing testing = Config.Testing.NONE;
    private Config.Model model = Config.Model.NONE;
    private Config.Tools tools = Config.Tools.DEFAULTS;
    private Config.Tasks tasks = Config.Tasks.NONE;
    private Config.Environments environments = Config.Environments.NONE;
    private final java.util.Map<String, String> agentFiles = new java.util.LinkedHashMap<>();

    Builder(TestDatabase database) {
      this.database = database;
    }

    public Builder host(String host) { this.host = host; return this; }

    public Builder demoLogin(Boolean enabled) { this.demoLogin = enabled; return this; }

    public Builder maxBody(long bytes) { this.maxBody = bytes; return this; }

    public Builder loginMaxFailures(int failures) { this.maxFailures = failures; return this; }

    public Builder workers(int workers) { this.workers = workers; return this; }

    /** {@code engine.step_timeout}: the limit of a step that names none, and of every phase of a task run. */
    public Builder stepTimeout(Duration timeout) { this.stepTimeout = timeout; return this; }

    /** How much of a step's output is kept (a line is kept whole up to this), and the longest live event line. */
    public Builder output(long capBytes, int maxEventLineBytes) {
      this.outputCap = capBytes;
      this.maxEventLine = maxEventLineBytes;
      return this;
    }

    public Builder corsOrigins(java.util.Set<String> origins) { this.corsOrigins = origins; return this; }

    public Builder testing(Config.Testing testing) { this.testing = testing; return this; }

    public Builder model(Config.Model model) { this.model = model; return this; }

    public Builder tools(Config.Tools tools) { this.tools = tools; return this; }

    public Builder tasks(Config.Tasks tasks) { this.tasks = tasks; return this; }

    public Builder environments(Config.Environments environments) { this.environments = environments; return this; }

    /** An agent definition file written to {@code <data-dir>/agents/} before the server starts. */
    public Builder agentFile(String fileName, String yaml) { agentFiles.put(fileName, yaml); return this; }

    public TestServer start() {
      try {
        Path dataDir = Files.createTempDirectory("stepwise-data-");
        if (!agentFiles.isEmpty()) {
          Files.createDirectories(dataDir.resolve("agents"));
          for (var file : agentFiles.entrySet()) Files.writeString(dataDir.resolve("agents").resolve(file.getKey()), file.getValue());
        }
        var config = new Config(dataDir,
            new Config.Server(host, 0, maxBody, Duration.ofSeconds(2), corsOrigins),
            new Config.Database(database.url(), 4),
            new Config.Auth(demoLogin, ADMIN_PASSWORD, Base64.getEncoder().encodeToString(SIGNING_KEY),
                tokenTtl, maxFailures, Duration.ofMinutes(5), Base64.getEncoder().encodeToString(SECRET_KEY)),
            new Config.Engine(workers, Duration.ofSeconds(5), java.util.List.of("local", "linux"),
                stepTimeout, outputCap, maxEventLine, null), testing, model, Config.WebSocket.DEFAULTS, tools, tasks,
            environments);
        return new TestServer(config, database);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
