package dev.stepwise.chat;

import dev.stepwise.auth.Permission;
import dev.stepwise.web.Access;
import dev.stepwise.web.Api;
import dev.stepwise.web.ApiError;
import dev.stepwise.web.ApiResponse;
import dev.stepwise.web.AuthFilter;
import dev.stepwise.web.Json;
import dev.stepwise.web.Pagination;
import dev.stepwise.web.PathParams;
import dev.stepwise.web.Validation;
import java.util.regex.Pattern;

/**
 * Threads and their messages (API.md §7). A user sees only their own threads: another user's is a
 * 404, so that ids reveal nothing.
 */
public final class ChatRoutes {
  private static final Pattern AGENT = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  static final int MAX_MESSAGE_CHARS = 32_000;

  private final Threads threads;

  public ChatRoutes(Threads threads) {
    this.threads = threads;
  }

  /** A new thread: an optional title, and the agent it talks to ({@code default} unless named). */
  record NewThread(String title, String agent) {}

  /** A user's message. */
  record NewMessage(String content) {}

  public void register(Api api) {
    String path = Api.V1 + "/threads";
    Access agentRun = Access.requires(Permission.AGENT_RUN);
    api.create(path, agentRun, "Start a thread with an agent", ctx -> {
      NewThread request = Json.read(ctx, NewThread.class);
      new Validation().length("title", request.title(), 1, 200)
          .matches("agent", request.agent(), AGENT, "must be an agent name: lower-case letters, digits, '.', '_' or '-'")
          .orThrow();
      String title = request.title() == null || request.title().isBlank() ? "New conversation" : request.title().trim();
      ApiResponse.created(ctx, threads.create(AuthFilter.caller(ctx).userId(), title,
          request.agent() == null ? "default" : request.agent()));
    });
    api.get(path, agentRun, "Your threads, most recently active first, each with its latest message", ctx -> {
      var page = Pagination.from(ctx);
      ApiResponse.ok(ctx, threads.list(AuthFilter.caller(ctx).userId(), page.afterId(), page.limit()));
    });
    api.get(path + "/{id}", agentRun, "One of your threads with its latest message",
        ctx -> ApiResponse.ok(ctx, owned(ctx)));
    api.get(path + "/{id}/messages", agentRun, "A thread's messages, oldest first", ctx -> {
      ChatThread thread = owned(ctx);
      var page = Pagination.from(ctx);
      ApiResponse.ok(ctx, threads.messages(thread.id(), page.afterId(), page.limit()));
    });
    api.post(path + "/{id}/messages", agentRun, "Send a message and start an agent run (needs the agent runtime)",
        ctx -> {
          owned(ctx);
          NewMessage request = Json.read(ctx, NewMessage.class);
          new Validation().require("content", request.content()).length("content", request.content(), 1, MAX_MESSAGE_CHARS)
              .orThrow();
          throw ApiError.unavailable("this server has no agent runtime yet, so the message was not stored; "
              + "threads can be created and read");
        });
  }

  private ChatThread owned(io.javalin.http.Context ctx) {
    long id = PathParams.id(ctx, "id");
    return threads.find(AuthFilter.caller(ctx).userId(), id)
        .orElseThrow(() -> ApiError.notFound("you have no thread with id " + id));
  }
}
