package dev.stepwise.executions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.plans.PlanParser;
import dev.stepwise.web.ApiError;
import dev.stepwise.web.Json;
import dev.stepwise.web.RequestBodies;
import io.javalin.http.Context;

/**
 * Reads a submitted plan from a request: a JSON plan, {@code {"plan_yaml": "..."}}, or a YAML
 * body ({@code text/yaml}, {@code application/yaml}).
 */
public final class PlanRequests {
  private PlanRequests() {}

  public static PlanParser.Parsed read(Context ctx, PlanParser parser) {
    String contentType = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase();
    String body = RequestBodies.text(ctx);
    if (body.isBlank()) throw ApiError.badRequest("the request body is empty; send a plan as JSON or YAML");
    Json.rejectNul(body);
    if (contentType.startsWith("text/yaml") || contentType.startsWith("application/yaml")
        || contentType.startsWith("application/x-yaml")) {
      return parser.parseYaml(body);
    }
    if (!contentType.startsWith("application/json")) {
      throw ApiError.badRequest("send the plan as application/json, or as YAML with Content-Type: text/yaml");
    }
    return fromJson(tree(body), parser);
  }

  /** A JSON body: a plan, or {@code {"plan_yaml": "..."}} carrying YAML. */
  public static PlanParser.Parsed fromJson(JsonNode tree, PlanParser parser) {
    if (tree.isObject() && tree.size() == 1 && tree.has("plan_yaml")) {
      if (!tree.get("plan_yaml").isTextual()) throw ApiError.validation("plan_yaml", "must be a string of YAML");
      return parser.parseYaml(tree.get("plan_yaml").asText());
    }
    return parser.parse(tree);
  }

  public static JsonNode tree(String body) {
    Json.rejectNul(body);
    try {
      return Json.mapper().readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiError.badRequest(Json.describe(e));
    }
  }
}
