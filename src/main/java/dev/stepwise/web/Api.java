package dev.stepwise.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;

/**
 * Registers routes together with who may call them and what they do. The list it keeps feeds the
 * OpenAPI document and the permission-matrix tests, so no route can exist undocumented or
 * unguarded. Not thread-safe: used only while the server is being built.
 */
public final class Api {
  public static final String V1 = "/api/v1";

  /** One registered route. */
  public record Route(String method, String path, Access access, String summary, int successStatus, boolean takesBody,
      boolean stream) {}

  private final RoutesConfig routes;
  private final List<Route> registered = new ArrayList<>();
  private final List<Route> pages = new ArrayList<>();

  public Api(RoutesConfig routes) {
    this.routes = routes;
  }

  /** A GET, and its HEAD twin under the same access rule (for load balancers' health checks). */
  public Api get(String path, Access access, String summary, Handler handler) {
    routes.addHttpHandler(HandlerType.HEAD, path, handler, access);
    return add(HandlerType.GET, path, access, summary, 200, false, handler);
  }

  /** A server-sent event stream; its HEAD twin answers the headers without opening a stream. */
  public Api stream(String path, Access access, String summary, Handler handler) {
    routes.addHttpHandler(HandlerType.HEAD, path, ctx -> ctx.contentType("text/event-stream"), access);
    registered.add(new Route("GET", path, access, summary, 200, false, true));
    routes.addHttpHandler(HandlerType.GET, path, handler, access);
    return this;
  }

  /** A POST with a JSON (or plan) body. */
  public Api post(String path, Access access, String summary, Handler handler) {
    return add(HandlerType.POST, path, access, summary, 200, true, handler);
  }

  /** A POST that takes no body: an action on the resource the path names. */
  public Api action(String path, Access access, String summary, Handler handler) {
    return add(HandlerType.POST, path, access, summary, 200, false, handler);
  }

  /** A POST that creates something and answers 201. */
  public Api create(String path, Access access, String summary, Handler handler) {
    return add(HandlerType.POST, path, access, summary, 201, true, handler);
  }

  public Api put(String path, Access access, String summary, Handler handler) {
    return add(HandlerType.PUT, path, access, summary, 200, true, handler);
  }

  public Api patch(String path, Access access, String summary, Handler handler) {
    return add(HandlerType.PATCH, path, access, summary, 200, true, handler);
  }

  public Api delete(String path, Access access, String summary, Handler handler) {
    return add(HandlerType.DELETE, path, access, summary, 200, false, handler);
  }

  private Api add(HandlerType method, String path, Access access, String summary, int status, boolean body,
      Handler handler) {
    registered.add(new Route(method.name(), path, access, summary, status, body, false));
    routes.addHttpHandler(method, path, handler, access);
    return this;
  }

  /**
   * A dashboard page (GET, with its HEAD twin, which the page's script uses to learn whether its
   * session has ended) or form (POST): not part of the JSON API nor of its OpenAPI document.
   */
  public Api page(HandlerType method, String path, Access access, String summary, Handler handler) {
    pages.add(new Route(method.name(), path, access, summary, 200, method != HandlerType.GET, false));
    if (method == HandlerType.GET) routes.addHttpHandler(HandlerType.HEAD, path, handler, access, ErrorPages.Marker.PAGE);
    routes.addHttpHandler(method, path, handler, access, ErrorPages.Marker.PAGE);
    return this;
  }

  /** The dashboard's pages and forms, for tests that walk them all. */
  public List<Route> pages() {
    return List.copyOf(pages);
  }

  public List<Route> routes() {
    return List.copyOf(registered);
  }
}
