package dev.stepwise.executions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.plans.PlanParser;
import dev.stepwise.web.ApiError;
import dev.stepwise.web.Json;
import dev.stepwise.web.RequestBodies;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a submission from a request: a JSON plan, {@code {"plan_yaml": "..."}}, a YAML body
 * ({@code text/yaml}, {@code application/yaml}), or many plans at once as {@code {"plans": [...]}}.
 */
public final class PlanRequests {
  /** The most plans one request may queue. */
  public static final int MAX_PLANS = 1000;
  /** How many invalid plans of a bulk submission the answer names, at most. */
  private static final int MAX_REPORTED = 20;

  private PlanRequests() {}

  /** What a request submits: one plan, or many ({@code bulk}) to queue in one transaction. */
  public record Submission(List<PlanParser.Parsed> plans, boolean bulk) {}

  public static Submission read(Context ctx, PlanParser parser) {
    String contentType = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase();
    String body = RequestBodies.text(ctx);
    if (body.isBlank()) throw ApiError.badRequest("the request body is empty; send a plan as JSON or YAML");
    Json.rejectNul(body);
    if (contentType.startsWith("text/yaml") || contentType.startsWith("application/yaml")
        || contentType.startsWith("application/x-yaml")) {
      return new Submission(List.of(parser.parseYaml(body)), false);
    }
    if (!contentType.startsWith("application/json")) {
      throw ApiError.badRequest("send the plan as application/json, or as YAML with Content-Type: text/yaml");
    }
    JsonNode tree = tree(body);
    if (tree.isObject() && tree.size() == 1 && tree.has("plans")) return new Submission(many(tree.get("plans"), parser), true);
    return new Submission(List.of(fromJson(tree, parser)), false);
  }

  /**
   * Every plan of {@code {"plans": [...]}}, each a JSON plan or {@code {"plan_yaml": "..."}}. All
   * are checked before anything is stored: one invalid plan refuses the whole request, and the
   * answer names the fields of each invalid one as {@code plans[i].field}.
   */
  private static List<PlanParser.Parsed> many(JsonNode plans, PlanParser parser) {
    if (!plans.isArray() || plans.isEmpty()) {
      throw ApiError.validation("plans", "must be a non-empty list of plans");
    }
    if (plans.size() > MAX_PLANS) {
      throw ApiError.validation("plans", "holds " + plans.size() + " plans; send at most " + MAX_PLANS
          + " in one request");
    }
    var parsed = new ArrayList<PlanParser.Parsed>(plans.size());
    var problems = new LinkedHashMap<String, String>();
    int invalid = 0;
    for (int i = 0; i < plans.size(); i++) {
      try {
        parsed.add(fromJson(plans.get(i), parser));
      } catch (ApiError e) {
        if (++invalid <= MAX_REPORTED) problems.putAll(prefixed("plans[" + i + "]", e));
      }
    }
    if (invalid > MAX_REPORTED) {
      problems.put("plans", invalid + " of " + plans.size() + " plans are invalid; the first " + MAX_REPORTED
          + " are named");
    }
    if (!problems.isEmpty()) throw ApiError.validation(problems);
    return parsed;
  }

  /** The fields of {@code error} under {@code prefix}, or its message when it names none. */
  private static Map<String, String> prefixed(String prefix, ApiError error) {
    var problems = new LinkedHashMap<String, String>();
    if (error.details().get("fields") instanceof Map<?, ?> fields && !fields.isEmpty()) {
      fields.forEach((field, reason) -> problems.put(prefix + "." + field, String.valueOf(reason)));
    } else {
      problems.put(prefix, error.getMessage());
    }
    return problems;
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
