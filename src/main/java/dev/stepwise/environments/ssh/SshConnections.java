package dev.stepwise.environments.ssh;

import dev.stepwise.environments.EnvironmentHealth;
import dev.stepwise.environments.EnvironmentSpec;
import dev.stepwise.environments.EnvironmentUnavailable;
import dev.stepwise.environments.HostKeys;
import dev.stepwise.plans.Durations;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.forward.ExplicitPortForwardingTracker;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.common.signature.SignatureFactoriesManager;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * This node's SSH connections to the remote environments, pooled: a step borrows a session for
 * its command, several steps share one session (up to {@link #CHANNELS_PER_SESSION} commands each,
 * below OpenSSH's default {@code MaxSessions}), and a session that died is dropped and replaced on
 * the next borrow. Host keys are checked against the environment's pins only; keepalives end a
 * connection that stops answering within the environment's {@code keepalive}. Thread-safe.
 */
public final class SshConnections implements AutoCloseable {
  /** Commands at once on one SSH connection. */
  static final int CHANNELS_PER_SESSION = 8;
  /** Keepalives that may go unanswered before a connection is given up: the window is (this + 1) intervals. */
  private static final int UNANSWERED_KEEPALIVES = 2;

  private static final AttributeRepository.AttributeKey<Hop> HOP = new AttributeRepository.AttributeKey<>();

  private final Map<String, EnvironmentSpec> specs;
  private final Map<String, String> variables;
  private final Clock clock;
  private final Map<String, EnvironmentHealth> health = new ConcurrentHashMap<>();
  private final Map<String, List<Pooled>> pools = new ConcurrentHashMap<>();
  private final Map<String, SshClient> clients = new ConcurrentHashMap<>();

  /** One hop of a connection: the environment it reaches and the keys that host must show. */
  /**
   * One connection's hop: the environment it reaches, the keys that host must show, and what went
   * wrong with it. Kept in the connection's context, not in the session's attributes, which MINA
   * clears when the session closes (often before the caller reads them).
   */
  private record Hop(EnvironmentSpec spec, HostKeys keys, java.util.concurrent.atomic.AtomicReference<String> refusedKey,
      java.util.concurrent.atomic.AtomicReference<String> lost) {
    Hop(EnvironmentSpec spec, HostKeys keys) {
      this(spec, keys, new java.util.concurrent.atomic.AtomicReference<>(), new java.util.concurrent.atomic.AtomicReference<>());
    }

    static Hop of(Session session) {
      return session instanceof ClientSession client && client.getConnectionContext() != null
          ? client.getConnectionContext().getAttribute(HOP) : null;
    }
  }

  /** A pooled session and how many commands use it now. */
  private static final class Pooled {
    final ClientSession session;
    int borrowed;

    Pooled(ClientSession session) {
      this.session = session;
    }
  }

  /**
   * @param variables the server's environment, where passwords and passphrases are read
   */
  public SshConnections(List<EnvironmentSpec> specs, Map<String, String> variables, Clock clock) {
    var byName = new java.util.LinkedHashMap<String, EnvironmentSpec>();
    specs.forEach(spec -> byName.put(spec.name(), spec));
    this.specs = java.util.Collections.unmodifiableMap(byName);
    this.variables = Map.copyOf(variables);
    this.clock = clock;
    specs.forEach(spec -> health.put(spec.name(), new EnvironmentHealth()));
    specs.forEach(spec -> clients.put(spec.name(), newClient(spec)));
  }

  /**
   * The SSH client of one environment: its keepalives (the window is the environment's
   * {@code keepalive}) are read when a connection starts, so each environment has its own.
   */
  private SshClient newClient(EnvironmentSpec spec) {
    SshClient client = SshClient.setUpDefaultClient();
    client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY); // never ~/.ssh/config
    client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER); // never ~/.ssh/id_*
    client.setServerKeyVerifier((session, remote, key) -> {
      Hop hop = Hop.of(session);
      if (hop != null && hop.keys().trusts(key)) return true;
      if (hop != null) hop.refusedKey().set(HostKeys.describe(key));
      return false;
    });
    CoreModuleProperties.IDLE_TIMEOUT.set(client, Duration.ZERO); // a quiet command is not an idle connection
    // small packets go out at once: with Nagle's algorithm each channel request waited ~40 ms for a delayed ACK
    CoreModuleProperties.TCP_NODELAY.set(client, true);
    Duration interval = spec.keepalive().dividedBy(UNANSWERED_KEEPALIVES + 1);
    CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, interval.isZero() ? Duration.ofMillis(500) : interval);
    CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(client, UNANSWERED_KEEPALIVES);
    client.addSessionListener(new SessionListener() {
      @Override
      public void sessionCreated(Session session) {
        // before the key exchange: ask the host for a key of a pinned type (OpenSSH has several)
        Hop hop = Hop.of(session);
        if (hop == null || !(session instanceof SignatureFactoriesManager manager)) return;
        var pinned = manager.getSignatureFactories().stream().filter(f -> hop.keys().accepts(f.getName())).toList();
        if (!pinned.isEmpty()) manager.setSignatureFactories(pinned);
      }

      @Override
      public void sessionException(Session session, Throwable t) {
        Hop hop = Hop.of(session);
        if (hop != null) hop.lost().compareAndSet(null, t.getMessage() == null ? "the connection failed" : t.getMessage());
      }
    });
    client.start();
    return client;
  }

  public Map<String, EnvironmentSpec> specs() {
    return specs;
  }

  public EnvironmentHealth health(String environment) {
    return health.get(environment);
  }

  /** A session of {@code environment} for one command; close the lease when the command is done. */
  public Lease borrow(String environment) {
    EnvironmentSpec spec = spec(environment);
    List<Pooled> pool = pools.computeIfAbsent(environment, name -> new ArrayList<>());
    synchronized (pool) {
      pool.removeIf(p -> !p.session.isOpen() && p.borrowed == 0);
      for (Pooled pooled : pool) {
        if (pooled.session.isOpen() && pooled.borrowed < CHANNELS_PER_SESSION) {
          pooled.borrowed++;
          return new Lease(spec, pooled, pool);
        }
      }
      Pooled fresh = new Pooled(connect(spec));
      fresh.borrowed++;
      pool.add(fresh);
      return new Lease(spec, fresh, pool);
    }
  }

  /** A borrowed session: {@link #close} gives it back to the pool. */
  public final class Lease implements AutoCloseable {
    private final EnvironmentSpec spec;
    private final Pooled pooled;
    private final List<Pooled> pool;
    private boolean closed;

    private Lease(EnvironmentSpec spec, Pooled pooled, List<Pooled> pool) {
      this.spec = spec;
      this.pooled = pooled;
      this.pool = pool;
    }

    public ClientSession session() {
      return pooled.session;
    }

    public EnvironmentSpec spec() {
      return spec;
    }

    /**
     * Why the command's channel ended without an exit status, in words. Its connection may still
     * be dying (keepalives unanswered): that is waited for, up to the keepalive window, so that
     * the reason is the connection's and not a guess.
     */
    public String lostBecause() {
      long deadline = System.nanoTime() + spec.keepalive().plusSeconds(1).toNanos();
      long closedAt = 0;
      Hop hop = Hop.of(pooled.session);
      String why = hop == null ? null : hop.lost().get();
      while (why == null && System.nanoTime() < deadline) {
        if (!pooled.session.isOpen()) {
          // closed: MINA tells the listeners why right before; give them a moment
          if (closedAt == 0) closedAt = System.nanoTime();
          else if (System.nanoTime() - closedAt > 500_000_000L) break;
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
        why = hop == null ? null : hop.lost().get();
      }
      if (why == null) {
        return pooled.session.isOpen() ? "the host ended the step's channel without an exit status"
            : "the connection closed";
      }
      if (why.contains("heartbeat")) {
        return "no answer to keepalives within " + Durations.format(spec.keepalive());
      }
      return why;
    }

    /** Marks the connection as answering, for the environment's health. */
    public void answered(Long rttMillis) {
      health.get(spec.name()).ok(clock.instant(), rttMillis);
    }

    /** Records that the connection went away, for the environment's health. */
    public void lost(String why) {
      health.get(spec.name()).failed(clock.instant(), "connection lost: " + why);
    }

    @Override
    public void close() {
      synchronized (pool) {
        if (closed) return;
        closed = true;
        pooled.borrowed--;
        if (!pooled.session.isOpen() && pooled.borrowed == 0) pool.remove(pooled);
      }
    }
  }

  private EnvironmentSpec spec(String environment) {
    EnvironmentSpec spec = specs.get(environment);
    if (spec == null) throw new EnvironmentUnavailable("no environment named '" + environment + "' is configured");
    return spec;
  }

  /** A new authenticated session to {@code spec}, through its jump host if it has one. */
  private ClientSession connect(EnvironmentSpec spec) {
    try {
      ClientSession session = spec.jump() == null ? open(spec, spec.host(), spec.port())
          : throughJump(spec, spec(spec.jump()));
      health.get(spec.name()).ok(clock.instant(), null);
      return session;
    } catch (EnvironmentUnavailable e) {
      health.get(spec.name()).failed(clock.instant(), e.getMessage());
      throw e;
    }
  }

  private ClientSession throughJump(EnvironmentSpec spec, EnvironmentSpec jump) {
    ClientSession via = connect(jump);
    try {
      ExplicitPortForwardingTracker tunnel = via.createLocalPortForwardingTracker(
          new SshdSocketAddress("127.0.0.1", 0), new SshdSocketAddress(spec.host(), spec.port()));
      SshdSocketAddress local = tunnel.getBoundAddress();
      ClientSession session = open(spec, local.getHostName(), local.getPort());
      session.addCloseFutureListener(f -> via.close(true));
      via.addCloseFutureListener(f -> session.close(true));
      return session;
    } catch (IOException | RuntimeException e) {
      via.close(true);
      if (e instanceof EnvironmentUnavailable unavailable) throw unavailable;
      throw new EnvironmentUnavailable(named(spec) + ": cannot reach it through " + jump.name() + ": " + reason(e));
    }
  }

  private ClientSession open(EnvironmentSpec spec, String host, int port) {
    Hop hop;
    try {
      hop = new Hop(spec, HostKeys.of(spec));
    } catch (IOException e) {
      throw new EnvironmentUnavailable(named(spec) + ": cannot read its known_hosts file: " + e.getMessage());
    }
    ClientSession session;
    try {
      session = clients.get(spec.name()).connect(spec.user(), host, port, AttributeRepository.ofKeyValuePair(HOP, hop))
          .verify(spec.connectTimeout()).getSession();
    } catch (IOException e) {
      throw new EnvironmentUnavailable(named(spec) + ": " + connectFailure(spec, e));
    }
    try {
      authenticate(spec, session);
      session.auth().verify(spec.connectTimeout());
      return session;
    } catch (IOException | RuntimeException e) {
      String refused = hop.refusedKey().get();
      session.close(true);
      if (e instanceof EnvironmentUnavailable unavailable) throw unavailable;
      if (refused != null) throw new EnvironmentUnavailable(refusedKey(spec, refused));
      throw new EnvironmentUnavailable(named(spec) + ": " + authFailure(spec, e));
    }
  }

  private void authenticate(EnvironmentSpec spec, ClientSession session) {
    switch (spec.authentication()) {
      case EnvironmentSpec.PasswordEnv password -> {
        String value = variables.get(password.env());
        if (value == null || value.isEmpty()) {
          throw new EnvironmentUnavailable(named(spec) + ": the variable " + password.env()
              + " that holds its password is not set");
        }
        session.addPasswordIdentity(value);
      }
      case EnvironmentSpec.KeyFile key -> session.addPublicKeyIdentity(keyPair(spec, key));
    }
  }

  private KeyPair keyPair(EnvironmentSpec spec, EnvironmentSpec.KeyFile key) {
    String passphrase = key.passphraseEnv() == null ? null : variables.get(key.passphraseEnv());
    try (InputStream in = Files.newInputStream(key.path())) {
      Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, NamedResource.ofName(key.path().toString()), in,
          passphrase == null ? null : FilePasswordProvider.of(passphrase));
      Iterator<KeyPair> first = pairs == null ? java.util.Collections.emptyIterator() : pairs.iterator();
      if (!first.hasNext()) throw new EnvironmentUnavailable(named(spec) + ": no private key in " + key.path());
      return first.next();
    } catch (IOException | GeneralSecurityException e) {
      String why = e instanceof javax.security.auth.login.FailedLoginException
          ? "it is encrypted and passphrase_env is not set"
          : e instanceof java.io.StreamCorruptedException ? "the passphrase does not open it" : reason(e);
      throw new EnvironmentUnavailable(named(spec) + ": cannot load the private key " + key.path() + ": " + why);
    }
  }

  /** The health check: connects (or reuses a connection) and runs {@code true}; the round trip is recorded. */
  public Check check(String environment) {
    try (Lease lease = borrow(environment)) {
      long started = System.nanoTime();
      RemoteCommands.Result result = RemoteCommands.run(lease.session(), "true", null, lease.spec().connectTimeout());
      long rtt = (System.nanoTime() - started) / 1_000_000;
      if (!result.succeeded()) {
        String error = named(lease.spec()) + ": `true` did not succeed there (" + result.describe() + ")";
        health.get(environment).failed(clock.instant(), error);
        return new Check(false, null, error);
      }
      lease.answered(rtt);
      return new Check(true, rtt, null);
    } catch (EnvironmentUnavailable e) {
      return new Check(false, null, e.getMessage());
    } catch (IOException e) {
      String error = named(spec(environment)) + ": " + reason(e);
      health.get(environment).failed(clock.instant(), error);
      return new Check(false, null, error);
    }
  }

  /** A check's result: {@code rttMillis} of running {@code true}, or the error. */
  public record Check(boolean ok, Long rttMillis, String error) {}

  static String named(EnvironmentSpec spec) {
    return "environment '" + spec.name() + "' (" + spec.address() + ")";
  }

  private static String refusedKey(EnvironmentSpec spec, String shown) {
    return named(spec) + ": refused: the host showed the key " + shown + ", which is not pinned for it"
        + " (" + (spec.knownHosts() == null ? "host_key" : spec.knownHosts().toString()) + "); if that is the machine's"
        + " key, pin it: `stepwise env trust " + spec.name() + "` shows its keys and the line to add";
  }

  private static String connectFailure(EnvironmentSpec spec, IOException e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof ConnectException) return "connection refused at " + spec.host() + ":" + spec.port();
      if (c instanceof java.net.UnknownHostException) return "the host name " + spec.host() + " does not resolve";
    }
    String message = String.valueOf(e.getMessage());
    if (message.contains("timeout")) return "no connection within " + Durations.format(spec.connectTimeout());
    if (message.contains("Connection refused")) return "connection refused at " + spec.host() + ":" + spec.port();
    return "cannot connect: " + reason(e);
  }

  private static String authFailure(EnvironmentSpec spec, Exception e) {
    String message = String.valueOf(e.getMessage());
    if (message.contains("No more authentication methods")) {
      return "the server refused the " + (spec.authentication() instanceof EnvironmentSpec.PasswordEnv ? "password"
          : "key") + " for user " + spec.user();
    }
    if (message.contains("timeout")) return "no answer to the login within " + Durations.format(spec.connectTimeout());
    return "the login failed: " + reason(e);
  }

  /** An exception's own words, never its class. */
  static String reason(Throwable e) {
    String message = e instanceof SshException && e.getCause() != null && e.getCause().getMessage() != null
        ? e.getCause().getMessage() : e.getMessage();
    return message == null ? "the connection failed" : message;
  }

  @Override
  public void close() {
    for (SshClient client : clients.values()) {
      try {
        client.stop();
      } catch (RuntimeException e) {
        // stopping anyway
      }
    }
  }
}
