package dev.stepwise.app;

import dev.stepwise.auth.ApiTokenService;
import dev.stepwise.auth.ApiTokens;
import dev.stepwise.auth.AuthRoutes;
import dev.stepwise.auth.Authenticator;
import dev.stepwise.auth.FirstStart;
import dev.stepwise.auth.JwtTokens;
import dev.stepwise.auth.LoginService;
import dev.stepwise.auth.LoginThrottle;
import dev.stepwise.auth.Passwords;
import dev.stepwise.auth.SigningKey;
import dev.stepwise.auth.UserRoutes;
import dev.stepwise.auth.UserService;
import dev.stepwise.auth.Users;
import dev.stepwise.health.DatabaseHealth;
import dev.stepwise.health.HealthRoutes;
import dev.stepwise.health.HealthService;
import dev.stepwise.health.Metrics;
import dev.stepwise.health.NotStartedComponents;
import dev.stepwise.store.Database;
import dev.stepwise.web.Api;
import dev.stepwise.web.AuthFilter;
import dev.stepwise.web.HttpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every service by hand, in dependency order, and closes them in
 * reverse. The only class that knows them all.
 */
public final class App implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(App.class);

  private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
  private final Config config;
  private final String nodeId;
  private HttpServer http;

  private App(Config config) {
    this.config = config;
    this.nodeId = newNodeId();
  }

  /** Opens the store, makes sure the first users exist and starts serving. */
  public static App start(Config config, Clock clock, PrintStream console) {
    var app = new App(config);
    try {
      app.build(clock, console);
      return app;
    } catch (RuntimeException e) {
      app.close();
      throw e;
    }
  }

  private void build(Clock clock, PrintStream console) {
    createDataDir(config);
    Metrics metrics = own(new Metrics());
    Database db = own(Database.open(config.databaseUrl(), config.database().poolSize(), metrics.registry()));

    var users = new Users(db, clock);
    var passwords = new Passwords();
    FirstStart.ensureUsers(users, passwords, config.auth().adminPassword(), console);
    var jwt = new JwtTokens(SigningKey.load(config.auth().jwtSecret(), config.dataDir()), config.auth().tokenTtl(), clock);
    var apiTokens = new ApiTokens(db);
    var throttle = new LoginThrottle(config.auth().loginMaxFailures(), config.auth().loginLockout(), clock);
    var logins = new LoginService(users, passwords, jwt, throttle, config.demoLoginEnabled());
    var authenticator = new Authenticator(users, apiTokens, jwt, clock);

    var health = new HealthService(List.of(
        new DatabaseHealth(db),
        NotStartedComponents.orchestrator(nodeId),
        NotStartedComponents.eventBus()), clock);

    List<Consumer<Api>> features = List.of(
        new HealthRoutes(health, metrics.registry())::register,
        new AuthRoutes(logins, new ApiTokenService(apiTokens, jwt, clock))::register,
        new UserRoutes(new UserService(users, passwords))::register);
    var server = config.server();
    http = own(new HttpServer(
        new HttpServer.Settings(server.host(), server.port(), server.maxBodyBytes(), server.shutdownGrace()),
        new AuthFilter(authenticator), metrics.registry(), features));
    http.start();
    log.info("Stepwise {} on node {} listening on http://{}:{} ({} schema v{}, demo login {})",
        Version.current(), nodeId, server.host(), http.port(), db.dialect().displayName(),
        db.schemaVersion(), config.demoLoginEnabled() ? "on" : "off");
  }

  public int port() {
    return http.port();
  }

  public HttpServer http() {
    return http;
  }

  public String nodeId() {
    return nodeId;
  }

  private <T extends AutoCloseable> T own(T closeable) {
    closeables.push(closeable);
    return closeable;
  }

  static void createDataDir(Config config) {
    try {
      Files.createDirectories(config.dataDir());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data dir " + config.dataDir(), e);
    }
  }

  private static String newNodeId() {
    byte[] random = new byte[3];
    new SecureRandom().nextBytes(random);
    return "node-" + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(random);
  }

  /** Stops accepting requests, lets running ones finish within the grace period, closes the store. */
  @Override
  public void close() {
    while (!closeables.isEmpty()) {
      try {
        closeables.pop().close();
      } catch (Exception e) {
        log.warn("error while shutting down: {}", e.toString());
      }
    }
  }
}
