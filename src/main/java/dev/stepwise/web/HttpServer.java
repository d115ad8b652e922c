package dev.stepwise.web;

import dev.stepwise.auth.Authenticator;
import io.javalin.Javalin;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The HTTP listener: Javalin on virtual threads with the envelope, access rules, request ids,
 * access log and body limit that every route shares. Thread-safe once started.
 */
public final class HttpServer implements AutoCloseable {
  private final Javalin javalin;
  private final String host;
  private final int port;
  private List<Api.Route> routes = List.of();
  private List<Api.Route> pages = List.of();

  /**
   * Listener settings.
   *
   * @param corsOrigins other sites' origins whose pages may call the API ({@code *} for any); empty for none
   */
  public record Settings(String host, int port, long maxBodyBytes, Duration shutdownGrace,
      java.util.Set<String> corsOrigins) {}

  /**
   * What the server serves.
   *
   * @param features each registers its routes and pages on the {@link Api} it is given
   * @param servlets served beside the API at their exact paths, outside its filters: each does its
   *     own authentication (the WebSocket gateway, which must answer before the upgrade)
   * @param errorPages how failures on dashboard pages are shown
   */
  public record Content(List<Consumer<Api>> features, java.util.Map<String, jakarta.servlet.http.HttpServlet> servlets,
      ErrorPages errorPages) {}

  public HttpServer(Settings settings, Authenticator authenticator, MeterRegistry metrics, Content content) {
    var features = content.features();
    var servlets = content.servlets();
    var accessLog = new AccessLog(metrics);
    this.host = settings.host();
    this.port = settings.port();
    this.javalin = Javalin.create(config -> {
      config.concurrency.useVirtualThreads = true;
      config.startup.showJavalinBanner = false;
      config.startup.showOldJavalinVersionWarning = false;
      config.http.maxRequestSize = settings.maxBodyBytes();
      config.http.prefer405over404 = true;
      config.http.defaultContentType = "application/json";
      config.router.ignoreTrailingSlashes = true;
      config.jetty.modifyServer(server -> server.setStopTimeout(settings.shutdownGrace().toMillis()));
      config.jetty.modifyServletContextHandler(context -> servlets.forEach((path, servlet) ->
          context.addServlet(new org.eclipse.jetty.ee10.servlet.ServletHolder(servlet), path)));
      config.requestLogger.http(accessLog::record);
      config.routes.before(RequestIds::assign);
      config.routes.before(new Cors(settings.corsOrigins())::handle);
      ErrorMapper.register(config.routes, content.errorPages());
      var api = new Api(config.routes);
      features.forEach(feature -> feature.accept(api));
      OpenApi.register(api);
      this.routes = api.routes();
      this.pages = api.pages();
      config.routes.beforeMatched(new AuthFilter(authenticator)::handle);
    });
  }

  public HttpServer start() {
    try {
      javalin.start(host, port);
    } catch (RuntimeException e) {
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof java.net.BindException) throw CannotListen.inUse(host, port);
      }
      throw e;
    }
    return this;
  }

  /**
   * Fails at once when {@code host:port} cannot be listened on, so that a server started twice
   * stops before it does anything else (creates users, prints a password).
   */
  public static void checkBindable(String host, int port) {
    if (port == 0) return;
    try (var socket = new java.net.ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new java.net.InetSocketAddress(host, port));
    } catch (java.net.BindException e) {
      throw CannotListen.inUse(host, port);
    } catch (java.io.IOException | IllegalArgumentException e) {
      throw new CannotListen("cannot listen on " + host + ":" + port + ": " + e.getMessage());
    }
  }

  /** The listener cannot be opened; the message says why and what to do, in one line. */
  public static final class CannotListen extends RuntimeException {
    CannotListen(String message) {
      super(message, null, false, false);
    }

    static CannotListen inUse(String host, int port) {
      return new CannotListen("cannot listen on " + host + ":" + port + ": the port is already in use (another "
          + "Stepwise, or another program); stop it or choose another port with --port or STEPWISE_PORT");
    }
  }

  /** The port actually bound (useful when configured as 0). */
  public int port() {
    return javalin.port();
  }

  /** Every route with its access rule, for documentation and tests. */
  public List<Api.Route> routes() {
    return routes;
  }

  /** Every dashboard page and form with its access rule, for tests. */
  public List<Api.Route> pages() {
    return pages;
  }

  @Override
  public void close() {
    javalin.stop();
  }
}
