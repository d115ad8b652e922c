package dev.stepwise.web;

import dev.stepwise.app.Version;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Builds the OpenAPI 3.1 document of every registered route and serves it. */
public final class OpenApi {
  private static final Pattern PATH_PARAM = Pattern.compile("\\{([^}]+)}");

  private OpenApi() {}

  /**
   * Serves the document as plain OpenAPI JSON (not wrapped in the envelope, so that OpenAPI tools
   * can read it). It is built on first request, when every route is registered.
   */
  static void register(Api api) {
    var cached = new java.util.concurrent.atomic.AtomicReference<byte[]>();
    api.get(Api.V1 + "/openapi.json", Access.PUBLIC, "This OpenAPI document", ctx -> {
      byte[] body = cached.updateAndGet(existing -> existing != null ? existing : Json.write(document(api.routes())));
      ctx.contentType("application/json").result(body);
    });
  }

  static Map<String, Object> document(List<Api.Route> routes) {
    var paths = new LinkedHashMap<String, Map<String, Object>>();
    for (Api.Route route : routes) {
      paths.computeIfAbsent(route.path(), p -> new LinkedHashMap<>())
          .put(route.method().toLowerCase(), operation(route));
    }
    var doc = new LinkedHashMap<String, Object>();
    doc.put("openapi", "3.1.0");
    doc.put("info", Map.of("title", "Stepwise API", "version", Version.current(),
        "description", "Durable background executions with approvals and live events. Every JSON "
            + "response is an envelope {success, data, message} or {success: false, error: {code, message, details}}."));
    doc.put("paths", paths);
    doc.put("components", Map.of(
        "securitySchemes", Map.of("bearer", Map.of("type", "http", "scheme", "bearer", "bearerFormat", "JWT")),
        "schemas", Map.of(
            "Envelope", Map.of("type", "object", "required", List.of("success"), "properties", Map.of(
                "success", Map.of("type", "boolean"), "data", Map.of(), "message", Map.of("type", "string"))),
            "Error", Map.of("type", "object", "properties", Map.of(
                "success", Map.of("const", false),
                "error", Map.of("type", "object", "properties", Map.of(
                    "code", Map.of("type", "string"), "message", Map.of("type", "string"),
                    "details", Map.of("type", "object"))))))));
    return doc;
  }

  private static Map<String, Object> operation(Api.Route route) {
    var op = new LinkedHashMap<String, Object>();
    op.put("summary", route.summary());
    op.put("operationId", route.method().toLowerCase() + route.path().replaceAll("[^A-Za-z0-9]+", "_"));
    List<Map<String, Object>> parameters = new ArrayList<>();
    Matcher matcher = PATH_PARAM.matcher(route.path());
    while (matcher.find()) {
      parameters.add(Map.of("name", matcher.group(1), "in", "path", "required", true,
          "schema", Map.of("type", "string")));
    }
    if (!parameters.isEmpty()) op.put("parameters", parameters);
    var responses = new LinkedHashMap<String, Object>();
    responses.put(Integer.toString(route.successStatus()), response("Success", "Envelope"));
    responses.put("4XX", response("The request was refused; error.code says why", "Error"));
    switch (route.access()) {
      case Access.Public p -> op.put("security", List.of());
      case Access.Authenticated a -> op.put("security", List.of(Map.of("bearer", List.of())));
      case Access.Requires r -> {
        op.put("security", List.of(Map.of("bearer", List.of())));
        op.put("x-permission", r.permission().wireName());
      }
      case Access.Page page -> throw new IllegalStateException("a page is not part of the API: " + route.path());
    }
    op.put("responses", responses);
    return op;
  }

  private static Map<String, Object> response(String description, String schema) {
    return Map.of("description", description, "content",
        Map.of("application/json", Map.of("schema", Map.of("$ref", "#/components/schemas/" + schema))));
  }
}
