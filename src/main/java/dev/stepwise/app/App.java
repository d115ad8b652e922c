package dev.stepwise.app;

import dev.stepwise.agents.AgentRoutes;
import dev.stepwise.agents.AgentSessionRoutes;
import dev.stepwise.agents.AgentSessions;
import dev.stepwise.agents.Agents;
import dev.stepwise.agents.ToolRoutes;
import dev.stepwise.agents.models.ModelClients;
import dev.stepwise.agents.runtime.AgentRunner;
import dev.stepwise.agents.runtime.AgentRuns;
import dev.stepwise.agents.runtime.ParkedToolCalls;
import dev.stepwise.agents.runtime.RunEndings;
import dev.stepwise.agents.tools.AgentTools;
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
import dev.stepwise.auth.TokenWatches;
import dev.stepwise.auth.UserRoutes;
import dev.stepwise.auth.UserService;
import dev.stepwise.auth.Users;
import dev.stepwise.chat.AgentControlRoutes;
import dev.stepwise.chat.ChatRoutes;
import dev.stepwise.chat.ChatService;
import dev.stepwise.chat.Threads;
import dev.stepwise.chat.WebSocketGateway;
import dev.stepwise.environments.EnvironmentRoutes;
import dev.stepwise.environments.EnvironmentsHealth;
import dev.stepwise.environments.EnvironmentsView;
import dev.stepwise.environments.EnvironmentSlots;
import dev.stepwise.environments.EnvironmentSpec;
import dev.stepwise.environments.Placements;
import dev.stepwise.environments.ssh.LeftoverCleanup;
import dev.stepwise.environments.ssh.SshConnections;
import dev.stepwise.environments.ssh.SshRunner;
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
import dev.stepwise.executions.ParkedCalls;
import dev.stepwise.executions.Executions;
import dev.stepwise.executions.SealPlainSecrets;
import dev.stepwise.executions.SeedRoutes;
import dev.stepwise.health.DatabaseHealth;
import dev.stepwise.health.HealthRoutes;
import dev.stepwise.health.HealthService;
import dev.stepwise.health.Metrics;
import dev.stepwise.orchestrator.ExecutionMetrics;
import dev.stepwise.orchestrator.Orchestrator;
import dev.stepwise.orchestrator.OrchestratorHealth;
import dev.stepwise.orchestrator.OrchestratorRoutes;
import dev.stepwise.orchestrator.QueueReasons;
import dev.stepwise.plans.PlanParser;
import dev.stepwise.plans.StepType;
import dev.stepwise.plans.StoredPlans;
import dev.stepwise.runners.LocalProcessRunner;
import dev.stepwise.runners.Machine;
import dev.stepwise.runners.Runners;
import dev.stepwise.secrets.KeyFile;
import dev.stepwise.secrets.SecretBox;
import dev.stepwise.store.Database;
import dev.stepwise.store.Dialect;
import dev.stepwise.tasks.Repositories;
import dev.stepwise.tasks.TaskRoutes;
import dev.stepwise.tasks.TaskService;
import dev.stepwise.tasks.Tasks;
import dev.stepwise.tasks.Worktrees;
import dev.stepwise.tasks.backends.AgentBackend;
import dev.stepwise.tasks.backends.NativeBackend;
import dev.stepwise.tasks.backends.opencode.AgentPermissions;
import dev.stepwise.tasks.backends.opencode.OpenCodeBackend;
import dev.stepwise.tasks.run.TaskLifecycle;
import dev.stepwise.tasks.run.TaskPhaseRunner;
import dev.stepwise.tasks.run.TaskRuns;
import dev.stepwise.tasks.sessions.SessionRoutes;
import dev.stepwise.tasks.sessions.Sessions;
import dev.stepwise.testcases.GenerationRoutes;
import dev.stepwise.testcases.TestCaseService;
import dev.stepwise.testcases.TestCases;
import dev.stepwise.testcases.TestGeneration;
import dev.stepwise.testcases.TestPlans;
import dev.stepwise.testcases.TestRoutes;
import dev.stepwise.testcases.generation.CommandTemplates;
import dev.stepwise.testcases.generation.SourceTree;
import dev.stepwise.testcases.generation.Targets;
import dev.stepwise.testcases.generation.TestGenerators;
import dev.stepwise.testcases.results.TestResults;
import dev.stepwise.testcases.results.TestRuns;
import dev.stepwise.testcases.results.TestStepRunner;
import dev.stepwise.ui.AgentPages;
import dev.stepwise.ui.Dashboard;
import dev.stepwise.ui.TaskPages;
import dev.stepwise.web.Api;
import dev.stepwise.web.HttpServer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds every service by hand, in dependency order, and closes them in
 * reverse. The only class that knows them all; {@link #build} reads as its table of contents, one
 * wiring method per feature, each adding its routes.
 */
public final class App implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(App.class);

  private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
  private final List<Consumer<Api>> routes = new ArrayList<>();
  private final Config config;
  private final Clock clock;
  private String nodeId;
  private HttpServer http;
  private Orchestrator orchestrator;
  private EventBus bus;
  private WebSocketGateway gateway;

  private App(Config config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  /** Opens the store, makes sure the first users exist and starts serving. */
  public static App start(Config config, Clock clock, PrintStream console) {
    var app = new App(config, clock);
    try {
      app.build(console);
      return app;
    } catch (RuntimeException e) {
      app.close();
      throw e;
    }
  }

  /** The shared parts every feature is built from. */
  private record Store(Metrics metrics, Database db, Signals signals, EventLog eventLog, Events events, EventBus bus) {}

  /** Who the callers are, and the event streams that keep checking it. */
  private record Identity(Authenticator authenticator, TokenWatches tokenWatches, TopicAccess topicAccess,
      SseStreams streams, LoginService logins, UserService users, ApiTokenService apiTokens) {}

  /** The one engine and the service everything that runs goes through. */
  private record Engine(ExecutionService service, ExecutionMetrics metrics, QueueReasons queueReasons, Runners runners,
      AgentRunner agentRunner, EnvironmentsView environments, EnvironmentsHealth environmentsHealth) {}

  /** Agent definitions, the tools they may call, and their runs. */
  private record AgentParts(Agents agents, AgentTools tools, AgentRuns runs) {}

  /** What the API and the dashboard offer on test cases. */
  private record TestServices(TestCaseService cases, TestGeneration generation) {}

  /** Coding tasks' stores and the OpenCode backend, made before the engine so that OpenCode stops after it. */
  private record TaskParts(Tasks tasks, Sessions sessions, Worktrees worktrees, AgentPermissions permissions,
      OpenCodeBackend openCode) {}

  /** Test cases and how they become plans. */
  private record Testing(TestCases cases, SourceTree sources, CommandTemplates templates, TestPlans plans) {}

  private void build(PrintStream console) {
    HttpServer.checkBindable(config.server().host(), config.server().port());
    createDataDir(config);
    nodeId = own(NodeIdentity.acquire(config.dataDir(), config.engine().nodeId())).nodeId();
    Store store = store();
    bus = store.bus();
    Threads threads = new Threads(store.db(), clock);
    Identity identity = identity(store, threads, console);
    var agents = new AgentParts(new Agents(config.dataDir().resolve("agents"), config.model()),
        new AgentTools(config.tools()), new AgentRuns(store.db()));
    Testing testing = testing(store);
    TaskParts taskParts = taskParts(store, agents);
    Engine engine = engine(store, agents, threads, testing, identity, taskParts);
    ChatService chat = chat(store, engine, agents, threads, identity);
    TestServices tests = testCases(store, engine, testing);
    TaskPages.Parts taskPages = tasks(store, engine, taskParts);
    health(store, engine, taskParts);
    var dashboard = new Dashboard(new Dashboard.Parts(identity.logins(), config.demoLoginEnabled(), identity.users(),
        identity.apiTokens(), engine.service(), engine.metrics(), engine.queueReasons(),
        new AgentPages.Parts(agents.agents(), agents.runs(), chat, threads, store.events()), tests.cases(),
        tests.generation(), taskPages, clock));
    routes.add(dashboard::register);
    http = own(new HttpServer(httpSettings(), identity.authenticator(), store.metrics().registry(),
        new HttpServer.Content(routes, Map.of(WebSocketGateway.PATH, gateway), dashboard.errorPages())));
    AutoCloseable closeSockets = gateway::closeAll;
    own(closeSockets); // closed before the HTTP server: clients learn the server is going away
    own(store.bus()); // closed before the HTTP server, so that open event streams end at once
    orchestrator.start();
    http.start();
    log.info("Stepwise {} on node {} listening on http://{}:{} ({} schema v{}, demo login {})",
        Version.current(), nodeId, config.server().host(), http.port(), store.db().dialect().displayName(),
        store.db().schemaVersion(), config.demoLoginEnabled() ? "on" : "off");
  }

  private Store store() {
    Metrics metrics = own(new Metrics());
    Database db = own(Database.open(config.databaseUrl(), config.database().poolSize(), metrics.registry()));
    Signals signals = own(new Signals(db, config.databaseUrl()).start());
    var events = new Events(db);
    EventLog eventLog = own(new EventLog(db, clock, signals));
    EventBus bus = new EventBus(events, signals).start();
    eventLog.fanOutTo(bus::committed);
    return new Store(metrics, db, signals, eventLog, events, bus);
  }

  private Identity identity(Store store, Threads threads, PrintStream console) {
    var users = new Users(store.db(), clock);
    var passwords = new Passwords();
    FirstStart.ensureUsers(users, passwords, config.auth().adminPassword(), console);
    warnUnlessShared(store.db(), config.auth().jwtSecret(), "STEPWISE_JWT_SECRET", SigningKey.FILE_NAME,
        "signs tokens with its own key", "will not accept them");
    var jwt = new JwtTokens(SigningKey.load(config.auth().jwtSecret(), config.dataDir()), config.auth().tokenTtl(), clock);
    var apiTokens = new ApiTokens(store.db());
    var throttle = new LoginThrottle(config.auth().loginMaxFailures(), config.auth().loginLockout(), clock);
    var logins = new LoginService(users, passwords, jwt, throttle, config.demoLoginEnabled());
    var authenticator = new Authenticator(users, apiTokens, jwt, clock, config.demoLoginEnabled());
    var tokenWatches = new TokenWatches();
    var tokenService = new ApiTokenService(apiTokens, jwt, clock, tokenWatches);
    var userService = new UserService(users, passwords, tokenWatches);
    routes.add(new AuthRoutes(logins, tokenService)::register);
    routes.add(new UserRoutes(userService)::register);
    var topicAccess = new TopicAccess((user, thread) -> threads.find(user, thread).isPresent());
    var streams = new SseStreams(store.bus(), store.events(), authenticator, tokenWatches, clock);
    routes.add(new EventRoutes(streams, topicAccess)::register);
    return new Identity(authenticator, tokenWatches, topicAccess, streams, logins, userService, tokenService);
  }

  /** Plans (their secrets sealed at rest), runners, the orchestrator and the execution service. */
  private Engine engine(Store store, AgentParts agents, Threads threads, Testing testing, Identity identity,
      TaskParts taskParts) {
    warnUnlessShared(store.db(), config.auth().secretKey(), "STEPWISE_SECRET_KEY", SecretBox.KEY_FILE,
        "seals plan secrets with its own key", "cannot run plans with secrets submitted here");
    var plans = new StoredPlans(new PlanParser(), new SecretBox(KeyFile.load(config.auth().secretKey(),
        config.dataDir(), SecretBox.KEY_FILE, "the secret key")));
    SealPlainSecrets.run(store.db(), plans);
    var executions = new Executions(store.db());
    var settings = config.engine();
    store.eventLog().react("execution.completed", new RunEndings());
    var agentRunner = new AgentRunner(store.eventLog(), agents.runs(), agents.agents(), new ModelClients(config.model()),
        agents.tools(), threads);
    var placements = new Placements(Set.copyOf(settings.labels()), config.environments().specs());
    Runners runners = Runners.local()
        .with(StepType.TEST, new TestStepRunner(new LocalProcessRunner(), settings.outputCapBytes()))
        .with(StepType.AGENT, agentRunner)
        .placedBy(placements);
    var connections = own(new SshConnections(config.environments().specs(), config.environments().secrets(), clock));
    var leftovers = own(new LeftoverCleanup(connections, store.db(), clock));
    store.eventLog().transact(tx -> {
      config.environments().specs().forEach(spec -> EnvironmentSlots.ensure(tx.handle(), spec.name(), spec.slots()));
      return null;
    });
    for (EnvironmentSpec spec : config.environments().specs()) {
      var machine = new Machine(spec.name(), spec.address(), new SshRunner(connections, spec.name(), leftovers));
      runners.withEnvironment(machine, Map.of(StepType.TEST, new TestStepRunner(machine.commands(),
          settings.outputCapBytes()), StepType.AGENT, agentRunner));
    }
    orchestrator = own(Orchestrator.create(new Orchestrator.Settings(settings.workers(), settings.leaseTtl(),
            config.server().shutdownGrace(), settings.stepTimeout(), settings.outputCapBytes(),
            settings.maxEventLineBytes(), config.dataDir().resolve("work"), settings.labels()),
        new Orchestrator.Parts(store.eventLog(), executions, plans, runners, store.signals()), nodeId,
        List.of(new TestResults())));
    var service = new ExecutionService(store.eventLog(), executions, plans, placements,
        ParkedCalls.all(List.of(new ParkedToolCalls(), taskParts.permissions())), orchestrator);
    var environments = new EnvironmentsView(connections, store.db());
    var metrics = new ExecutionMetrics(executions, orchestrator, clock, environments::remote);
    routes.add(new ExecutionRoutes(service, identity.streams())::register);
    routes.add(new SeedRoutes(service)::register);
    routes.add(new OrchestratorRoutes(orchestrator, service, metrics, testing.plans())::register);
    routes.add(new EnvironmentRoutes(environments, settings.labels(), settings.workers(),
        () -> orchestrator.status().busy())::register);
    return new Engine(service, metrics, new QueueReasons(executions, orchestrator, clock), runners, agentRunner,
        environments, own(new EnvironmentsHealth(connections)));
  }

  /** Conversations, agents and their tools, the WebSocket, the event streams. */
  private ChatService chat(Store store, Engine engine, AgentParts agents, Threads threads, Identity identity) {
    var chat = new ChatService(store.eventLog(), threads, engine.service(), agents.agents());
    routes.add(new ChatRoutes(threads, chat)::register);
    routes.add(new AgentRoutes(agents.agents())::register);
    routes.add(new AgentSessionRoutes(engine.service(), new AgentSessions(agents.agents(), engine.service()))::register);
    routes.add(new AgentControlRoutes(chat, engine.service(), agents.runs())::register);
    routes.add(new ToolRoutes(engine.service(), agents.tools())::register);
    var sockets = config.webSocket();
    gateway = new WebSocketGateway(identity.authenticator(), identity.tokenWatches(), store.bus(), store.events(), engine.service(), chat,
        identity.topicAccess(), new WebSocketGateway.Settings(sockets.maxMessageBytes(), sockets.idleTimeout(),
            sockets.allowedOrigins()), clock);
    return chat;
  }

  private Testing testing(Store store) {
    var settings = config.testing();
    var cases = new TestCases(store.db(), clock);
    var sources = new SourceTree(settings.sourceRoot(), config.dataDir());
    var templates = new CommandTemplates(settings.commands(), settings.sourceRoot());
    return new Testing(cases, sources, templates, new TestPlans(cases, templates, sources));
  }

  private TestServices testCases(Store store, Engine engine, Testing testing) {
    var generation = new TestGeneration(TestGenerators.forConfig(config.model()), new Targets(testing.sources()),
        testing.templates(), testing.cases(), testing.plans(), engine.service(), store.eventLog(),
        config.testing().maxDiffBytes());
    var cases = new TestCaseService(testing.cases(), new TestRuns(store.db()), testing.plans());
    routes.add(new TestRoutes(cases)::register);
    routes.add(new GenerationRoutes(generation)::register);
    return new TestServices(cases, generation);
  }

  private TaskParts taskParts(Store store, AgentParts agents) {
    var sessions = new Sessions(store.db());
    var permissions = new AgentPermissions(store.db());
    var openCode = own(new OpenCodeBackend(store.eventLog(), sessions, permissions, agents.tools(), config.model(),
        config.tasks().opencodeCommand(), config.dataDir().resolve("opencode")));
    return new TaskParts(new Tasks(store.db()), sessions, new Worktrees(config.dataDir().resolve("worktrees")),
        permissions, openCode);
  }

  /**
   * Coding tasks: their runs on the engine (a runner for their phases on the agent backends, the
   * lifecycle that follows their executions) and their routes.
   */
  private TaskPages.Parts tasks(Store store, Engine engine, TaskParts parts) {
    var settings = config.tasks();
    new TaskLifecycle().register(store.eventLog());
    List<AgentBackend> backends = List.of(parts.openCode(), new NativeBackend(engine.agentRunner(), config.model()));
    var repositories = new Repositories(settings.repositories());
    engine.runners().with(StepType.TASK, new TaskPhaseRunner(store.eventLog(), parts.sessions(), parts.tasks(),
        repositories, parts.worktrees(), backends));
    var runs = new TaskRuns(store.eventLog(), engine.service(), config.engine().stepTimeout());
    var service = new TaskService(store.eventLog(), parts.tasks(), repositories, parts.worktrees(), settings.agent());
    routes.add(new TaskRoutes(service, runs)::register);
    routes.add(new SessionRoutes(parts.sessions())::register);
    return new TaskPages.Parts(service, runs, parts.sessions());
  }

  private void health(Store store, Engine engine, TaskParts tasks) {
    boolean tasksOnOpenCode = !config.tasks().repositories().isEmpty() && config.tasks().agent().equals("opencode");
    var health = new HealthService(List.of(
        new DatabaseHealth(store.db()),
        new OrchestratorHealth(orchestrator, engine.metrics()),
        new EventBusHealth(store.bus(), store.signals(), store.db().dialect() == Dialect.POSTGRESQL),
        tasks.openCode().health().inUse(tasksOnOpenCode), engine.environmentsHealth()), clock);
    routes.addFirst(new HealthRoutes(health, store.metrics().registry())::register);
  }

  private HttpServer.Settings httpSettings() {
    var server = config.server();
    return new HttpServer.Settings(server.host(), server.port(), server.maxBodyBytes(), server.shutdownGrace(),
        server.corsOrigins());
  }

  /** Nodes sharing one PostgreSQL database must share their keys; a key file of this node's own is a trap. */
  private void warnUnlessShared(Database db, String configured, String variable, String file, String effect,
      String consequence) {
    if (db.dialect() == Dialect.POSTGRESQL && configured == null) {
      log.warn("{} is not set: this node {} in {}, so other nodes sharing this database {}; give every node the "
          + "same {}", variable, effect, config.dataDir().resolve(file), consequence, variable);
    }
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

  /** This node's committed events as they are published: for benchmarks, which count what finished. */
  public EventBus bus() {
    return bus;
  }

  private <T extends AutoCloseable> T own(T closeable) {
    closeables.push(closeable);
    return closeable;
  }

  /** Creates the data dir readable by its owner only: it holds the database and the keys. */
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
