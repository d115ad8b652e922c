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
import dev.stepwise.events.EventBus;
import dev.stepwise.events.EventBusHealth;
import dev.stepwise.events.EventLog;
import dev.stepwise.events.EventRoutes;
import dev.stepwise.events.Events;
import dev.stepwise.events.Signals;
import dev.stepwise.events.SseStreams;
import dev.stepwise.events.TopicAccess;
import dev.stepwise.executions.ExecutionRoutes;
import dev.stepwise.executions.ExecutionService;
import dev.stepwise.executions.Executions;
import dev.stepwise.executions.SeedRoutes;
import dev.stepwise.orchestrator.ExecutionMetrics;
import dev.stepwise.orchestrator.Orchestrator;
import dev.stepwise.orchestrator.OrchestratorHealth;
import dev.stepwise.orchestrator.OrchestratorRoutes;
import dev.stepwise.plans.PlanParser;
import dev.stepwise.runners.Runners;
import dev.stepwise.store.Database;
import dev.stepwise.testcases.TestCaseService;
import dev.stepwise.testcases.TestCases;
import dev.stepwise.testcases.TestPlans;
import dev.stepwise.agents.AgentRoutes;
import dev.stepwise.agents.Agents;
import dev.stepwise.agents.ToolRoutes;
import dev.stepwise.agents.models.ModelClients;
import dev.stepwise.agents.runtime.AgentRunner;
import dev.stepwise.agents.runtime.AgentRuns;
import dev.stepwise.agents.runtime.RunEndings;
import dev.stepwise.agents.runtime.ParkedToolCalls;
import dev.stepwise.agents.tools.AgentTools;
import dev.stepwise.chat.ChatService;
import dev.stepwise.plans.StepType;
import dev.stepwise.chat.ChatRoutes;
import dev.stepwise.chat.Threads;
import dev.stepwise.chat.WebSocketGateway;
import dev.stepwise.testcases.GenerationRoutes;
import dev.stepwise.testcases.TestGeneration;
import dev.stepwise.testcases.generation.CommandTemplates;
import dev.stepwise.testcases.generation.SourceTree;
import dev.stepwise.testcases.generation.Targets;
import dev.stepwise.testcases.generation.TestGenerators;
import dev.stepwise.testcases.results.TestResults;
import dev.stepwise.testcases.results.TestRuns;
import dev.stepwise.testcases.TestRoutes;
import dev.stepwise.store.Dialect;
import dev.stepwise.web.Api;
import dev.stepwise.web.HttpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
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
  private String nodeId;
  private HttpServer http;
  private WebSocketGateway gateway;
  private Orchestrator orchestrator;

  private App(Config config) {
    this.config = config;
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
    NodeIdentity identity = own(NodeIdentity.acquire(config.dataDir(), config.engine().nodeId()));
    nodeId = identity.nodeId();
    Metrics metrics = own(new Metrics());
    Database db = own(Database.open(config.databaseUrl(), config.database().poolSize(), metrics.registry()));
    Signals signals = own(new Signals(db, config.databaseUrl()).start());
    var eventLog = new EventLog(db, clock, signals);
    var events = new Events(db);
    EventBus bus = new EventBus(events, signals).start();
    var streams = new SseStreams(bus, events);

    var users = new Users(db, clock);
    var passwords = new Passwords();
    FirstStart.ensureUsers(users, passwords, config.auth().adminPassword(), console);
    if (db.dialect() == Dialect.POSTGRESQL && config.auth().jwtSecret() == null) {
      log.warn("STEPWISE_JWT_SECRET is not set: this node signs tokens with its own key in {}, so other nodes "
          + "sharing this database will not accept them; give every node the same STEPWISE_JWT_SECRET",
          config.dataDir().resolve(SigningKey.FILE_NAME));
    }
    var jwt = new JwtTokens(SigningKey.load(config.auth().jwtSecret(), config.dataDir()), config.auth().tokenTtl(), clock);
    var apiTokens = new ApiTokens(db);
    var throttle = new LoginThrottle(config.auth().loginMaxFailures(), config.auth().loginLockout(), clock);
    var logins = new LoginService(users, passwords, jwt, throttle, config.demoLoginEnabled());
    var authenticator = new Authenticator(users, apiTokens, jwt, clock, config.demoLoginEnabled());

    var executions = new Executions(db);
    var engine = config.engine();
    var threads = new Threads(db, clock);
    var agents = new Agents(config.dataDir().resolve("agents"), config.model());
    var agentTools = new AgentTools(config.tools());
    eventLog.react("execution.completed", new RunEndings());
    Runners runners = Runners.local().with(StepType.AGENT, new AgentRunner(eventLog, new AgentRuns(db), agents,
        new ModelClients(config.model()), agentTools, threads));
    orchestrator = own(Orchestrator.create(new Orchestrator.Settings(engine.workers(), engine.leaseTtl(),
            config.server().shutdownGrace(), engine.stepTimeout(), engine.outputCapBytes(),
            config.dataDir().resolve("work"), engine.labels()),
        eventLog, executions, runners, signals, nodeId, List.of(new TestResults())));
    var executionService = new ExecutionService(eventLog, executions, new PlanParser(), Set.copyOf(engine.labels()),
        new ParkedToolCalls());
    var chat = new ChatService(eventLog, threads, executionService, agents);
    var topicAccess = new TopicAccess((user, thread) -> threads.find(user, thread).isPresent());
    var executionMetrics = new ExecutionMetrics(executions, orchestrator, clock);
    var testCases = new TestCases(db, clock);
    var testing = config.testing();
    var sources = new SourceTree(testing.sourceRoot(), config.dataDir());
    var templates = new CommandTemplates(testing.commands(), testing.sourceRoot());
    var testPlans = new TestPlans(testCases, templates, sources);
    var testGeneration = new TestGeneration(TestGenerators.forConfig(config.model()), new Targets(sources), templates,
        testCases, testPlans, executionService, eventLog, testing.maxDiffBytes());

    var health = new HealthService(List.of(
        new DatabaseHealth(db),
        new OrchestratorHealth(orchestrator, executionMetrics),
        new EventBusHealth(bus, signals, db.dialect() == Dialect.POSTGRESQL)), clock);

    List<Consumer<Api>> features = List.of(
        new HealthRoutes(health, metrics.registry())::register,
        new AuthRoutes(logins, new ApiTokenService(apiTokens, jwt, clock))::register,
        new UserRoutes(new UserService(users, passwords))::register,
        new EventRoutes(streams, topicAccess)::register,
        new ExecutionRoutes(executionService, streams)::register,
        new SeedRoutes(executionService)::register,
        new OrchestratorRoutes(orchestrator, executionService, executionMetrics, testPlans)::register,
        new TestRoutes(new TestCaseService(testCases, new TestRuns(db)))::register,
        new GenerationRoutes(testGeneration)::register,
        new ChatRoutes(threads, chat)::register,
        new AgentRoutes(agents)::register,
        new ToolRoutes(executionService, agentTools)::register);
    var server = config.server();
    var sockets = config.webSocket();
    gateway = new WebSocketGateway(authenticator, bus, events, executionService, chat, topicAccess,
        new WebSocketGateway.Settings(
        sockets.maxMessageBytes(), sockets.idleTimeout(), sockets.allowedOrigins()));
    http = own(new HttpServer(
        new HttpServer.Settings(server.host(), server.port(), server.maxBodyBytes(), server.shutdownGrace()),
        authenticator, metrics.registry(), features, java.util.Map.of(WebSocketGateway.PATH, gateway)));
    AutoCloseable closeSockets = gateway::closeAll;
    own(closeSockets); // closed before the HTTP server: clients learn the server is going away
    own(bus); // closed before the HTTP server, so that open event streams end at once
    orchestrator.start();
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

  /** This node's engine: for benchmarks, which pause and resume it. */
  public Orchestrator orchestrator() {
    return orchestrator;
  }

  public String nodeId() {
    return nodeId;
  }

  private <T extends AutoCloseable> T own(T closeable) {
    closeables.push(closeable);
    return closeable;
  }

  /** Creates the data dir readable by its owner only: it holds the database and the signing key. */
  static void createDataDir(Config config) {
    try {
      if (!Files.exists(config.dataDir())) {
        Files.createDirectories(config.dataDir(), java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
            java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data dir " + config.dataDir(), e);
    }
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
