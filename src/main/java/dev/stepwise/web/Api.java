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
  public record Route(String method, String path, Access access, String summary, int successStatus) {}

  private final RoutesConfig routes;
  private final List<Route> registered = new ArrayList<>();

  public Api(RoutesConfig routes) {
    this.routes = routes;
  }

  public Api get(String path, Access access, String summary, Handler handler) {
    return add(HandlerType.GET, path, access, summary, 200, handler);
  }

  public Api post(String path, Access access, String summary, Handler handler) {
    return add(HandlerType.POST, path, access, summary, 200, handler);
  }

  /** A POST that creates something and answers 201. */
  public Api create(String path, Access access, String summary, Handler handler) {
    return add(HandlerType.POST, path, access, summary, 201, handler);
  }

  public Api put(String path, Access access, String summary, Handler handler) {
    return add(HandlerType.PUT, path, access, summary, 200, handler);
  }

  public Api patch(String path, Access access, String summary, Handler handler) {
    return add(HandlerType.PATCH, path, access, summary, 200, handler);
  }

  public Api delete(String path, Access access, String summary, Handler handler) {
    return add(HandlerType.DELETE, path, access, summary, 200, handler);
  }

  private Api add(HandlerType method, String path, Access access, String summary, int status, Handler handler) {
    registered.add(new Route(method.name(), path, access, summary, status));
    routes.addHttpHandler(method, path, handler, access);
    return this;
  }

  public List<Route> routes() {
    return List.copyOf(registered);
  }
}
