package dev.stepwise.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The model of the task benchmark: an OpenAI-compatible chat-completions server on loopback that
 * answers at once from a fixed script (a plan; one file written; a passing review), so that what is
 * measured is Stepwise and the agent, not a model. Requests for tasks whose title starts with
 * {@code busy-} are held until {@link #release}, to keep those tasks running. Thread-safe.
 */
final class BenchModel implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final CountDownLatch released = new CountDownLatch(1);
  private final AtomicInteger held = new AtomicInteger();

  BenchModel() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/v1/chat/completions", this::answer);
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  /** How many requests wait for {@link #release}. */
  int held() {
    return held.get();
  }

  void release() {
    released.countDown();
  }

  private void answer(HttpExchange exchange) throws IOException {
    JsonNode request = JSON.readTree(exchange.getRequestBody());
    String system = text(request.path("messages").path(0));
    String prompt = "";
    int results = 0;
    boolean nativeTools = false;
    for (JsonNode tool : request.path("tools")) nativeTools |= tool.path("function").path("name").asText().equals("write_file");
    for (JsonNode message : request.path("messages")) {
      String role = message.path("role").asText();
      if (role.equals("user")) {
        prompt = text(message);
        results = 0;
      } else if (role.equals("tool")) {
        results++;
      }
    }
    if (prompt.contains(": busy-")) {
      held.incrementAndGet();
      try {
        released.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      held.decrementAndGet();
    }
    exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0);
    try (OutputStream out = exchange.getResponseBody()) {
      if (system.contains("title generator")) {
        text(out, "A benchmark task");
      } else if (prompt.contains("write a short, numbered plan")) {
        text(out, "1. Write bench.txt");
      } else if (prompt.contains("Review the work")) {
        text(out, "The work does the task.\nVERDICT: PASS");
      } else if (results == 0) {
        toolCall(out, nativeTools ? "write_file" : "write", nativeTools
            ? "{\"path\":\"bench.txt\",\"content\":\"bench\\n\"}" : "{\"filePath\":\"bench.txt\",\"content\":\"bench\\n\"}");
      } else {
        text(out, "I wrote bench.txt.");
      }
      out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void text(OutputStream out, String text) throws IOException {
    chunk(out, JSON.createObjectNode().put("role", "assistant").put("content", text), null);
    chunk(out, JSON.createObjectNode(), "stop");
  }

  private static void toolCall(OutputStream out, String name, String arguments) throws IOException {
    ObjectNode delta = JSON.createObjectNode().put("role", "assistant");
    ObjectNode call = delta.putArray("tool_calls").addObject().put("index", 0).put("id", "call_bench").put("type", "function");
    call.putObject("function").put("name", name).put("arguments", arguments);
    chunk(out, delta, null);
    chunk(out, JSON.createObjectNode(), "tool_calls");
  }

  private static void chunk(OutputStream out, ObjectNode delta, String finish) throws IOException {
    ObjectNode chunk = JSON.createObjectNode().put("id", "bench").put("object", "chat.completion.chunk").put("created", 1)
        .put("model", "bench");
    ObjectNode choice = chunk.putArray("choices").addObject().put("index", 0);
    choice.set("delta", delta);
    if (finish == null) choice.putNull("finish_reason");
    else choice.put("finish_reason", finish);
    out.write(("data: " + chunk + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static String text(JsonNode message) {
    JsonNode content = message.path("content");
    if (content.isTextual()) return content.asText();
    var text = new StringBuilder();
    for (JsonNode part : content) text.append(part.path("text").asText("")).append('\n');
    return text.toString();
  }

  @Override
  public void close() {
    release();
    server.stop(0);
  }
}
