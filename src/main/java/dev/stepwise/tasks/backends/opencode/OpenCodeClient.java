package dev.stepwise.tasks.backends.opencode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.web.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The calls Stepwise makes to OpenCode's server API, each for one worktree ({@code ?directory=}).
 * A call that fails throws {@link OpenCodeServer.Unavailable} with what OpenCode said. Thread-safe.
 */
final class OpenCodeClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final OpenCodeServer.Endpoint endpoint;
  private final Path directory;

  OpenCodeClient(OpenCodeServer.Endpoint endpoint, Path directory) {
    this.endpoint = endpoint;
    this.directory = directory;
  }

  /** A new session in the worktree; returns its id ({@code ses_…}). */
  String createSession(String title) {
    return call("POST", "/session", Json.mapper().createObjectNode().put("title", title)).path("id").asText();
  }

  /** Whether OpenCode still has the session (its state survives a restart of OpenCode). */
  boolean hasSession(String sessionId) {
    return send("GET", "/session/" + sessionId, null).statusCode() == 200;
  }

  /** Sends a prompt and returns at once; the session works on it and goes idle when done. */
  void prompt(String sessionId, String agent, String modelId, String text) {
    ObjectNode body = Json.mapper().createObjectNode().put("agent", agent);
    body.putObject("model").put("providerID", OpenCodeConfig.PROVIDER).put("modelID", modelId);
    body.putArray("parts").addObject().put("type", "text").put("text", text);
    call("POST", "/session/" + sessionId + "/prompt_async", body);
  }

  void abort(String sessionId) {
    call("POST", "/session/" + sessionId + "/abort", null);
  }

  /**
   * Answers a permission request: {@code once} or {@code reject} (with why, so that the agent goes
   * on knowing it). Returns false when OpenCode no longer waits on it (answered already, or asked
   * before OpenCode restarted): it says 404 and does not list it. A 404 for a request it still lists
   * (a route or worktree it does not know) is a failure.
   */
  boolean reply(String permissionId, String reply, String message) {
    ObjectNode body = Json.mapper().createObjectNode().put("reply", reply);
    if (message != null) body.put("message", message);
    String path = "/permission/" + permissionId + "/reply";
    HttpResponse<String> response = send("POST", path, body);
    if (response.statusCode() == 404 && !waitsOn(permissionId)) return false;
    check("POST", path, response);
    return true;
  }

  /** The permission requests waiting for an answer. */
  JsonNode pendingPermissions() {
    return call("GET", "/permission", null);
  }

  private boolean waitsOn(String permissionId) {
    for (JsonNode request : pendingPermissions()) {
      if (permissionId.equals(request.path("id").asText())) return true;
    }
    return false;
  }

  /** The session's messages, oldest first: each {@code {info, parts}}. */
  JsonNode messages(String sessionId) {
    return call("GET", "/session/" + sessionId + "/message", null);
  }

  /** Whether the session is working ({@code busy} or {@code retry}) rather than idle. */
  boolean busy(String sessionId) {
    JsonNode status = call("GET", "/session/status", null).path(sessionId);
    return status.isObject() && !status.path("type").asText("idle").equals("idle");
  }

  private JsonNode call(String method, String path, JsonNode body) {
    HttpResponse<String> response = send(method, path, body);
    check(method, path, response);
    if (response.body() == null || response.body().isBlank()) return Json.mapper().createObjectNode();
    try {
      return Json.mapper().readTree(response.body());
    } catch (IOException e) {
      return Json.mapper().createObjectNode();
    }
  }

  private static void check(String method, String path, HttpResponse<String> response) {
    if (response.statusCode() / 100 != 2) {
      throw new OpenCodeServer.Unavailable("OpenCode answered " + response.statusCode() + " to " + method + " " + path
          + ": " + abbreviate(response.body()));
    }
  }

  private HttpResponse<String> send(String method, String path, JsonNode body) {
    String url = endpoint.baseUrl() + path + "?directory=" + URLEncoder.encode(directory.toString(), StandardCharsets.UTF_8);
    var request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
        .header("Authorization", endpoint.authorization()).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.toString()));
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new OpenCodeServer.Unavailable("OpenCode did not answer " + method + " " + path + ": "
          + (e.getMessage() == null ? "the connection closed" : e.getMessage()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OpenCodeServer.Unavailable("interrupted while calling OpenCode");
    }
  }

  private static String abbreviate(String text) {
    if (text == null) return "";
    String line = text.strip().replaceAll("\\s+", " ");
    return line.length() <= 300 ? line : line.substring(0, 300) + "…";
  }
}
