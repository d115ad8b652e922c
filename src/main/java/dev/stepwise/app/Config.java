package dev.stepwise.app;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Every setting of a Stepwise process, loaded once at start by {@link ConfigLoader} and validated
 * there. Immutable and thread-safe.
 *
 * @param dataDir where the SQLite file, the signing key and agent definitions live
 */
public record Config(Path dataDir, Server server, Database database, Auth auth, Engine engine, Testing testing,
    Model model, WebSocket webSocket, Tools tools, Tasks tasks, Environments environments) {

  public Config(Path dataDir, Server server, Database database, Auth auth, Engine engine, Testing testing,
      Model model, WebSocket webSocket, Tools tools, Tasks tasks) {
    this(dataDir, server, database, auth, engine, testing, model, webSocket, tools, tasks, Environments.NONE);
  }

  public Config(Path dataDir, Server server, Database database, Auth auth, Engine engine, Testing testing,
      Model model, WebSocket webSocket, Tools tools) {
    this(dataDir, server, database, auth, engine, testing, model, webSocket, tools, Tasks.NONE);
  }

  public Config(Path dataDir, Server server, Database database, Auth auth, Engine engine, Testing testing,
      Model model, WebSocket webSocket) {
    this(dataDir, server, database, auth, engine, testing, model, webSocket, Tools.DEFAULTS);
  }

  /** The settings a server needs only for what it does by default: no test sources, no model. */
  public Config(Path dataDir, Server server, Database database, Auth auth, Engine engine) {
    this(dataDir, server, database, auth, engine, Testing.NONE, Model.NONE);
  }

  public Config(Path dataDir, Server server, Database database, Auth auth, Engine engine, Testing testing, Model model) {
    this(dataDir, server, database, auth, engine, testing, model, WebSocket.DEFAULTS);
  }

  /**
   * The WebSocket gateway.
   *
   * @param allowedOrigins browser origins besides the server's own that may open a socket
   */
  public record WebSocket(java.util.Set<String> allowedOrigins, long maxMessageBytes, Duration idleTimeout) {
    public static final WebSocket DEFAULTS = new WebSocket(java.util.Set.of(), 64 * 1024, Duration.ofMinutes(5));

    public WebSocket {
      allowedOrigins = java.util.Set.copyOf(allowedOrigins);
    }
  }

  /**
   * Agents' tools.
   *
   * @param safeCommands shell commands that run without approval under the {@code risky} policy: a
   *     command line is safe when it is one of these, or one of these followed by arguments, with no
   *     shell syntax ({@code ; | & $ ` < >}, newlines)
   * @param httpAllow hosts {@code http_get} may fetch although they are loopback, link-local or private
   */
  /**
   * Coding tasks (API.md §6).
   *
   * @param repositories the directories a task's repository must lie under; none: no task can be created
   * @param agent the agent backend of a task that names none: {@code opencode} or {@code native}
   * @param opencodeCommand the OpenCode CLI, a path or a name on the {@code PATH}
   */
  /**
   * The remote environments ({@code environments:}) and the values of the variables they name for
   * passwords and passphrases, read once at start; {@link #toString} never shows those.
   */
  public record Environments(java.util.List<dev.stepwise.environments.EnvironmentSpec> specs,
      java.util.Map<String, String> secrets) {
    public static final Environments NONE = new Environments(java.util.List.of(), java.util.Map.of());

    public Environments {
      specs = java.util.List.copyOf(specs);
      secrets = java.util.Map.copyOf(secrets);
    }

    @Override
    public String toString() {
      return "Environments" + specs.stream().map(dev.stepwise.environments.EnvironmentSpec::name).toList();
    }
  }

  public record Tasks(java.util.List<Path> repositories, String agent, String opencodeCommand) {
    public static final Tasks NONE = new Tasks(java.util.List.of(), "opencode", "opencode");

    public Tasks {
      repositories = java.util.List.copyOf(repositories);
    }
  }

  public record Tools(java.util.List<String> safeCommands, java.util.Set<String> httpAllow) {
    public static final Tools DEFAULTS = new Tools(java.util.List.of("ls", "pwd", "cat", "head", "tail", "wc", "grep",
        "echo", "date", "uname", "git status", "git diff", "git log"), java.util.Set.of());

    public Tools {
      safeCommands = java.util.List.copyOf(safeCommands);
      httpAllow = java.util.Set.copyOf(httpAllow);
    }
  }

  /**
   * Test generation.
   *
   * @param sourceRoot where a test case's {@code file_path} is looked up, or {@code null} for nowhere
   * @param commands command templates by subsystem; {@code default} is used when no subsystem's fits
   * @param maxDiffBytes the largest diff {@code generate-from-diff} accepts
   */
  public record Testing(Path sourceRoot, java.util.Map<String, String> commands, long maxDiffBytes) {
    public static final Testing NONE = new Testing(null, java.util.Map.of(), 512 * 1024);

    public Testing {
      commands = java.util.Map.copyOf(commands);
    }
  }

  /**
   * The model that generates tests, when one is configured.
   *
   * @param provider {@code openai} (any OpenAI-compatible {@code base_url}), or {@code null} for none
   */
  public record Model(String provider, String baseUrl, String name, String apiKey, Duration timeout) {
    public static final Model NONE = new Model(null, null, null, null, Duration.ofSeconds(60));

    public boolean configured() {
      return provider != null;
    }

    @Override
    public String toString() {
      return "Model[provider=%s, baseUrl=%s, name=%s, apiKey=%s]"
          .formatted(provider, baseUrl, name, apiKey == null ? "-" : "***");
    }
  }

  /**
   * The HTTP listener.
   *
   * @param corsOrigins browser origins of other sites that may call the API ({@code *} for any, without
   *     credentials); empty for none
   */
  public record Server(String host, int port, long maxBodyBytes, Duration shutdownGrace,
      java.util.Set<String> corsOrigins) {
    public Server {
      corsOrigins = java.util.Set.copyOf(corsOrigins);
    }

    public Server(String host, int port, long maxBodyBytes, Duration shutdownGrace) {
      this(host, port, maxBodyBytes, shutdownGrace, java.util.Set.of());
    }

    /** Whether the listener is reachable only from this machine. */
    public boolean isLoopback() {
      if (host.equalsIgnoreCase("localhost")) return true;
      try {
        return InetAddress.getByName(host).isLoopbackAddress();
      } catch (UnknownHostException e) {
        return false;
      }
    }
  }

  /**
   * The store.
   *
   * @param url a {@code jdbc:postgresql:} or {@code jdbc:sqlite:} URL; {@code null} means SQLite
   *     at {@code <data-dir>/stepwise.db}
   */
  public record Database(String url, int poolSize) {}

  /**
   * Authentication.
   *
   * @param demoLogin {@code null} means "on while bound to loopback"
   * @param adminPassword first-start admin password; {@code null} means generate one
   * @param jwtSecret base64 HMAC key; {@code null} means the key file in the data dir
   * @param secretKey base64 AES key that encrypts plan secrets at rest; {@code null} means the key file in the data dir
   */
  public record Auth(
      Boolean demoLogin,
      String adminPassword,
      String jwtSecret,
      Duration tokenTtl,
      int loginMaxFailures,
      Duration loginLockout,
      String secretKey) {

    public Auth(Boolean demoLogin, String adminPassword, String jwtSecret, Duration tokenTtl, int loginMaxFailures,
        Duration loginLockout) {
      this(demoLogin, adminPassword, jwtSecret, tokenTtl, loginMaxFailures, loginLockout, null);
    }

    @Override
    public String toString() {
      return "Auth[demoLogin=%s, adminPassword=%s, jwtSecret=%s, tokenTtl=%s, secretKey=%s]"
          .formatted(demoLogin, adminPassword == null ? "-" : "***",
              jwtSecret == null ? "-" : "***", tokenTtl, secretKey == null ? "-" : "***");
    }
  }

  /**
   * The execution engine on this node.
   *
   * @param labels the labels of this node's {@code local} environment
   * @param outputCapBytes how much of one step's output is kept (a line is kept whole up to this)
   * @param maxEventLineBytes the longest line a live {@code step.output} event carries; longer ones are cut there
   * @param nodeId this node's id, or {@code null} to use the one kept in the data dir
   */
  public record Engine(int workers, Duration leaseTtl, java.util.List<String> labels, Duration stepTimeout,
      long outputCapBytes, int maxEventLineBytes, String nodeId) {
    public static final int DEFAULT_MAX_EVENT_LINE = 8 * 1024;

    public Engine {
      labels = java.util.List.copyOf(labels);
    }

    public Engine(int workers, Duration leaseTtl, java.util.List<String> labels, Duration stepTimeout,
        long outputCapBytes, String nodeId) {
      this(workers, leaseTtl, labels, stepTimeout, outputCapBytes, DEFAULT_MAX_EVENT_LINE, nodeId);
    }
  }

  /** Whether demo login is allowed, following API.md §2. */
  public boolean demoLoginEnabled() {
    return auth.demoLogin() != null ? auth.demoLogin() : server.isLoopback();
  }

  public Path sqliteFile() {
    return dataDir.resolve("stepwise.db");
  }

  public String databaseUrl() {
    return database.url() != null ? database.url() : "jdbc:sqlite:" + sqliteFile().toAbsolutePath();
  }
}
