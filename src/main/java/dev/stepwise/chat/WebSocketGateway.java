package dev.stepwise.chat;

import dev.stepwise.auth.Authenticator;
import dev.stepwise.auth.Caller;
import dev.stepwise.auth.TokenWatch;
import dev.stepwise.auth.TokenWatches;
import dev.stepwise.events.EventBus;
import dev.stepwise.events.Events;
import dev.stepwise.events.TopicAccess;
import dev.stepwise.executions.ExecutionService;
import dev.stepwise.store.StoreUnavailable;
import dev.stepwise.web.ApiError;
import dev.stepwise.web.ErrorMapper;
import dev.stepwise.web.Origins;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.ee10.websocket.server.JettyServerUpgradeRequest;
import org.eclipse.jetty.ee10.websocket.server.JettyServerUpgradeResponse;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServlet;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServletFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket endpoint {@code /api/v1/ws} (API.md §8). The caller is authenticated before the
 * upgrade, by {@code Authorization: Bearer} or the {@code bearer.<token>} subprotocol (the server
 * then selects {@code stepwise.v1}, never the token); no valid token is a 401 and a browser origin
 * that is not allowed a 403, both before any socket exists.
 */
public final class WebSocketGateway extends JettyWebSocketServlet {
  public static final String PATH = "/api/v1/ws";
  public static final String PROTOCOL = "stepwise.v1";
  private static final String BEARER_PROTOCOL = "bearer.";
  private static final Logger log = LoggerFactory.getLogger(WebSocketGateway.class);

  /** Limits of one connection. */
  public record Settings(long maxMessageBytes, Duration idleTimeout, Set<String> allowedOrigins) {}

  private final transient Authenticator authenticator;
  private final transient TokenWatches watches;
  private final transient EventBus bus;
  private final transient Events events;
  private final transient ExecutionService executions;
  private final transient ChatService chat;
  private final transient TopicAccess access;
  private final transient Settings settings;
  private final transient Clock clock;
  private final transient Set<WsConnection> open = ConcurrentHashMap.newKeySet();

  public WebSocketGateway(Authenticator authenticator, TokenWatches watches, EventBus bus, Events events,
      ExecutionService executions, ChatService chat, TopicAccess access, Settings settings, Clock clock) {
    this.access = access;
    this.clock = clock;
    this.authenticator = authenticator;
    this.watches = watches;
    this.bus = bus;
    this.events = events;
    this.executions = executions;
    this.chat = chat;
    this.settings = settings;
  }

  /** How many sockets are open on this node. */
  public int connections() {
    return open.size();
  }

  /** A plain HTTP request (no upgrade) gets the API's error envelope, not a servlet error page. */
  @Override
  protected void service(jakarta.servlet.http.HttpServletRequest request, jakarta.servlet.http.HttpServletResponse response)
      throws jakarta.servlet.ServletException, IOException {
    if ("websocket".equalsIgnoreCase(request.getHeader("Upgrade"))) {
      super.service(request, response);
      return;
    }
    response.setStatus(426);
    response.setHeader("Upgrade", "websocket");
    response.setContentType("application/json");
    response.getOutputStream().write(("{\"success\":false,\"error\":{\"code\":\"UPGRADE_REQUIRED\",\"message\":"
        + "\"open a WebSocket here (GET with Upgrade: websocket)\",\"details\":{}}}").getBytes(
        java.nio.charset.StandardCharsets.UTF_8));
  }

  @Override
  protected void configure(JettyWebSocketServletFactory factory) {
    factory.setMaxTextMessageSize(settings.maxMessageBytes());
    factory.setMaxBinaryMessageSize(1024);
    factory.setIdleTimeout(settings.idleTimeout());
    factory.setCreator(this::upgrade);
  }

  private Object upgrade(JettyServerUpgradeRequest request, JettyServerUpgradeResponse response) {
    try {
      if (!originAllowed(request)) {
        response.sendError(403, "this origin may not open a socket here");
        return null;
      }
      List<String> offered = request.getSubProtocols();
      String token = token(request.getHeader("Authorization"), offered);
      if (token == null) {
        response.sendError(401, "send Authorization: Bearer <token> or the subprotocols stepwise.v1, bearer.<token>");
        return null;
      }
      Caller caller;
      try {
        caller = authenticator.authenticate(token);
      } catch (ApiError e) {
        response.sendError(401, e.getMessage());
        return null;
      } catch (StoreUnavailable e) {
        response.sendError(503, ErrorMapper.unavailable(e).getMessage());
        return null;
      }
      if (offered.contains(PROTOCOL)) response.setAcceptedSubProtocol(PROTOCOL);
      else if (!offered.isEmpty()) {
        response.sendError(400, "offer the subprotocol stepwise.v1");
        return null;
      }
      return new WsConnection(new TokenWatch(authenticator, token, caller, clock), watches, bus, events,
          executions, chat, access, open);
    } catch (IOException e) {
      log.debug("websocket upgrade: the client left: {}", e.toString());
      return null;
    }
  }

  private static String token(String authorization, List<String> offered) {
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String token = authorization.substring(7).trim();
      return token.isEmpty() ? null : token;
    }
    return offered.stream().filter(p -> p.startsWith(BEARER_PROTOCOL)).map(p -> p.substring(BEARER_PROTOCOL.length()))
        .filter(t -> !t.isEmpty()).findFirst().orElse(null);
  }

  /** No Origin (not a browser) is allowed; a browser's must be this server's own or listed. */
  private boolean originAllowed(JettyServerUpgradeRequest request) {
    String origin = request.getHeader("Origin");
    if (origin == null) return true;
    String normalized = Origins.normalize(origin);
    if (settings.allowedOrigins().stream().map(Origins::normalize).anyMatch(normalized::equals)) return true;
    String host = request.getHeader("Host");
    String scheme = request.getHttpServletRequest().isSecure() ? "https://" : "http://";
    return host != null && normalized.equals(Origins.normalize(scheme + host));
  }

  /** Closes every socket, as the server stops. */
  public void closeAll() {
    open.forEach(WsConnection::shutdown);
  }
}
