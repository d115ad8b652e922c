package dev.stepwise.chat;

import dev.stepwise.agents.Agents;
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

/**
 * Threads and their messages (API.md §7). A user sees only their own threads: another user's is a
 * 404, so that ids reveal nothing.
 */
public final class ChatRoutes {

  private final Threads threads;
  private final ChatService chat;

  public ChatRoutes(Threads threads, ChatService chat) {
    this.threads = threads;
    this.chat = chat;
  }

  /** A new thread: an optional title, and the agent it talks to ({@code default} unless named). */
  record NewThread(String title, String agent) {}

  /** A user's message, optionally to another agent than the thread's. */
  record NewMessage(String content, String agent) {}

  public void register(Api api) {
    String path = Api.V1 + "/threads";
    Access agentRun = Access.requires(Permission.AGENT_RUN);
    api.create(path, agentRun, "Start a thread with an agent", ctx -> {
      NewThread request = Json.read(ctx, NewThread.class);
      new Validation().length("title", request.title(), 1, 200)
          .matches("agent", request.agent(), Agents.NAME, Agents.NAME_RULE)
          .orThrow();
      String title = request.title() == null || request.title().isBlank() ? "New conversation" : request.title().trim();
      ApiResponse.created(ctx, chat.newThread(AuthFilter.caller(ctx), title, request.agent()));
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
    api.post(path + "/{id}/messages", agentRun, "Send a message: stores it and starts an agent run that answers it",
        ctx -> {
          ChatThread thread = owned(ctx);
          NewMessage request = Json.read(ctx, NewMessage.class);
          new Validation().require("content", request.content()).length("content", request.content(), 1, ChatService.MAX_MESSAGE_CHARS)
              .orThrow();
          if (request.content().isBlank()) throw ApiError.validation("content", "must not be blank");
          var started = chat.send(AuthFilter.caller(ctx), thread.id(), request.agent(), request.content());
          ApiResponse.accepted(ctx, java.util.Map.of("message", started.message(), "run_id", started.runId(),
              "thread_id", started.threadId()));
        });
  }

  private ChatThread owned(io.javalin.http.Context ctx) {
    long id = PathParams.id(ctx, "id");
    return threads.find(AuthFilter.caller(ctx).userId(), id)
        .orElseThrow(() -> ApiError.notFound("you have no thread with id " + id));
  }
}
