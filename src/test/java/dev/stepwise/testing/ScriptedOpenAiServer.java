package dev.stepwise.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.stepwise.web.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An OpenAI-compatible chat-completions server that a test scripts: each request gets the next
 * queued answer, streamed as server-sent chunks (text in pieces, tool calls with their arguments
 * split across chunks) when the request asks to stream. Every request body is kept.
 */
public final class ScriptedOpenAiServer implements AutoCloseable {
  private final HttpServer server;
  private final ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
  private volatile Function<JsonNode, Answer> responder;
  private volatile CountDownLatch held;
  public final List<JsonNode> requests = new CopyOnWriteArrayList<>();

  /**
   * One model answer: text pieces streamed in order, then optionally one tool call; or an error
   * response ({@code errorStatus} non-zero) with an OpenAI error body and, where {@code retryAfterMillis}
   * is not negative, a {@code retry-after-ms} header.
   */
  public record Answer(List<String> pieces, String toolName, String toolArguments, int errorStatus, String errorType,
      long retryAfterMillis) {
    public static Answer text(String... pieces) {
      return new Answer(List.of(pieces), null, null, 0, null, -1);
    }

    public static Answer toolCall(String text, String name, String arguments) {
      return new Answer(text == null ? List.of() : List.of(text), name, arguments, 0, null, -1);
    }

    /** An error response: {@code {"error": {"message", "type"}}} with {@code status}. */
    public static Answer error(int status, String type, String message) {
      return new Answer(List.of(message), null, null, status, type, -1);
    }

    /** A 503 that asks to be tried again after {@code retryAfterMillis}, as an overloaded provider answers. */
    public static Answer unavailable(String message, long retryAfterMillis) {
      return new Answer(List.of(message), null, null, 503, "server_error", retryAfterMillis);
    }
  }

  public ScriptedOpenAiServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/v1/chat/completions", exchange -> {
      JsonNode request = Json.mapper().readTree(exchange.getRequestBody());
      requests.add(request);
      CountDownLatch gate = held;
      if (gate != null) {
        try {
          gate.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      Answer answer = answers.poll();
      if (answer == null && responder != null) answer = responder.apply(request);
      if (answer == null) {
        byte[] body = "{\"error\":{\"message\":\"the script has no more answers\"}}".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(500, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
        return;
      }
      if (answer.errorStatus() != 0) {
        ObjectNode error = Json.mapper().createObjectNode();
        error.putObject("error").put("message", answer.pieces().getFirst()).put("type", answer.errorType())
            .putNull("param").putNull("code");
        byte[] body = error.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        if (answer.retryAfterMillis() >= 0) {
          exchange.getResponseHeaders().add("retry-after-ms", Long.toString(answer.retryAfterMillis()));
        }
        exchange.sendResponseHeaders(answer.errorStatus(), body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
        return;
      }
      exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
      exchange.sendResponseHeaders(200, 0);
      try (OutputStream out = exchange.getResponseBody()) {
        for (String piece : answer.pieces()) {
          chunk(out, delta().put("content", piece), null);
        }
        if (answer.toolName() != null) {
          String args = answer.toolArguments();
          int half = args.length() / 2;
          ObjectNode first = delta();
          ObjectNode call = first.putArray("tool_calls").addObject().put("index", 0).put("id", "call_" + requests.size())
              .put("type", "function");
          call.putObject("function").put("name", answer.toolName()).put("arguments", args.substring(0, half));
          chunk(out, first, null);
          ObjectNode second = delta();
          second.putArray("tool_calls").addObject().put("index", 0).putObject("function")
              .put("arguments", args.substring(half));
          chunk(out, second, null);
        }
        chunk(out, delta(), answer.toolName() != null ? "tool_calls" : "stop");
        out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
      }
    });
    server.start();
  }

  public ScriptedOpenAiServer answer(Answer answer) {
    answers.add(answer);
    return this;
  }

  /** Answers every request that the queue does not with what {@code responder} makes of the request. */
  public ScriptedOpenAiServer respond(Function<JsonNode, Answer> responder) {
    this.responder = responder;
    return this;
  }

  /** Holds every answer from now on until the returned latch is counted down. */
  public CountDownLatch hold() {
    CountDownLatch gate = new CountDownLatch(1);
    held = gate;
    return gate;
  }

  /** The text of the last message of a request (the prompt, or the last tool result). */
  public static String lastMessage(JsonNode request) {
    JsonNode messages = request.path("messages");
    return text(messages.path(messages.size() - 1));
  }

  /** The text of the last message a user sent (the prompt of the current phase). */
  public static String lastPrompt(JsonNode request) {
    String prompt = "";
    for (JsonNode message : request.path("messages")) if (message.path("role").asText().equals("user")) prompt = text(message);
    return prompt;
  }

  /** How many tool results came back since the last user message. */
  public static int toolResultsSincePrompt(JsonNode request) {
    int results = 0;
    for (JsonNode message : request.path("messages")) {
      String role = message.path("role").asText();
      if (role.equals("user")) results = 0;
      else if (role.equals("tool")) results++;
    }
    return results;
  }

  /** A message's text, whether its content is a string or a list of parts. */
  public static String text(JsonNode message) {
    JsonNode content = message.path("content");
    if (content.isTextual()) return content.asText();
    var text = new StringBuilder();
    for (JsonNode part : content) if (part.path("text").isTextual()) text.append(part.path("text").asText()).append('\n');
    return text.toString();
  }

  /** The role of the last message of a request: {@code user}, or {@code tool} after a tool call. */
  public static String lastRole(JsonNode request) {
    JsonNode messages = request.path("messages");
    return messages.path(messages.size() - 1).path("role").asText("");
  }

  /** The system prompt of a request. */
  public static String system(JsonNode request) {
    return text(request.path("messages").path(0));
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  private static ObjectNode delta() {
    return Json.mapper().createObjectNode();
  }

  private static void chunk(OutputStream out, ObjectNode delta, String finishReason) throws IOException {
    ObjectNode chunk = Json.mapper().createObjectNode().put("id", "chatcmpl-1").put("object", "chat.completion.chunk")
        .put("created", 1).put("model", "scripted-http");
    ArrayNode choices = chunk.putArray("choices");
    ObjectNode choice = choices.addObject().put("index", 0);
    choice.set("delta", delta);
    if (finishReason == null) choice.putNull("finish_reason");
    else choice.put("finish_reason", finishReason);
    out.write(("data: " + chunk + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
