package dev.stepwise.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A small HTTP client for the API: JSON in, parsed envelope out. Thread-safe. */
public final class ApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String baseUrl;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public ApiClient(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  public String baseUrl() {
    return baseUrl;
  }

  /** A response with its body parsed as JSON when it is JSON. */
  public record Response(int status, JsonNode body, String text, HttpResponse<String> raw) {
    public JsonNode data() {
      return body.path("data");
    }

    public String errorCode() {
      return body.path("error").path("code").asText(null);
    }

    public String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }

  public Response get(String path, String token) {
    return send("GET", path, token, null, (String) null);
  }

  public Response post(String path, String token, Object json) {
    return send("POST", path, token, json == null ? null : toJson(json), "application/json");
  }

  public Response patch(String path, String token, Object json) {
    return send("PATCH", path, token, toJson(json), "application/json");
  }

  public Response delete(String path, String token) {
    return send("DELETE", path, token, null, (String) null);
  }

  /** Any method, any body, any content type: for tests of malformed requests. */
  public Response send(String method, String path, String token, String body, String contentType) {
    return sendWithHeaders(method, path, body, contentType,
        token == null ? Map.of() : Map.of("Authorization", "Bearer " + token));
  }

  public Response sendWithHeaders(String method, String path, String body, String contentType, Map<String, String> headers) {
    var request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
    headers.forEach(request::header);
    if (contentType != null) request.header("Content-Type", contentType);
    request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    try {
      HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = null;
      if (response.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
        json = JSON.readTree(response.body());
      }
      return new Response(response.statusCode(), json, response.body(), response);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Opens a GET and returns its status without reading the body: for event streams, which never end. */
  public int openStatus(String path, String token) {
    var request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
    if (token != null) request.header("Authorization", "Bearer " + token);
    try {
      HttpResponse<java.io.InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      response.body().close();
      return response.statusCode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Logs in and returns the access token, failing the test when login fails. */
  public String login(String username, String password) {
    Response response = post("/api/v1/auth/login", null, Map.of("username", username, "password", password));
    if (response.status() != 200) throw new AssertionError("login failed: " + response.text());
    return response.data().path("access_token").asText();
  }

  public String demoLogin() {
    Response response = post("/api/v1/auth/demo-login", null, null);
    if (response.status() != 200) throw new AssertionError("demo login failed: " + response.text());
    return response.data().path("access_token").asText();
  }

  public static String toJson(Object value) {
    try {
      return value instanceof String s ? s : JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
