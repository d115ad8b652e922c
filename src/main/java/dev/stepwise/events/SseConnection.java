package dev.stepwise.events;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One server-sent-events response, written straight to the socket and flushed frame by frame.
 * Any client may read it (EventSource, curl, a script): no particular {@code Accept} header is
 * required. Not thread-safe: one writer.
 */
public final class SseConnection {
  private final OutputStream out;
  private boolean closed;

  private SseConnection(OutputStream out) {
    this.out = out;
  }

  /** Sends the headers and opens the stream. */
  public static SseConnection open(Context ctx) throws IOException {
    ctx.status(200);
    var response = ctx.res();
    response.setContentType("text/event-stream;charset=utf-8");
    response.setHeader("Cache-Control", "no-cache");
    response.setHeader("X-Accel-Buffering", "no");
    var connection = new SseConnection(response.getOutputStream());
    response.flushBuffer();
    return connection;
  }

  /** One event frame; {@code data} must be a single line (JSON is). */
  public void event(String type, String data, String id) {
    var frame = new StringBuilder();
    if (id != null) frame.append("id: ").append(id).append('\n');
    frame.append("event: ").append(type).append('\n');
    frame.append("data: ").append(data).append("\n\n");
    write(frame.toString());
  }

  public void comment(String text) {
    write(": " + text + "\n\n");
  }

  /** Whether the client has gone away (learnt on the last write). */
  public boolean closed() {
    return closed;
  }

  private void write(String text) {
    if (closed) return;
    try {
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      closed = true;
    }
  }
}
