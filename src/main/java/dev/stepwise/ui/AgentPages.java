package dev.stepwise.ui;

import dev.stepwise.agents.Agents;
import dev.stepwise.agents.runtime.AgentRuns;
import dev.stepwise.auth.Permission;
import dev.stepwise.chat.ChatService;
import dev.stepwise.chat.ChatThread;
import dev.stepwise.chat.Threads;
import dev.stepwise.events.Event;
import dev.stepwise.events.Events;
import dev.stepwise.events.TopicFilter;
import dev.stepwise.web.Access;
import dev.stepwise.web.Api;
import dev.stepwise.web.ApiError;
import dev.stepwise.web.AuthFilter;
import dev.stepwise.web.Pagination;
import dev.stepwise.web.PathParams;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The agents, the caller's conversations, and a chat page that shows each run live. */
public final class AgentPages {
  /** How many of a thread's newest events its page shows; all its messages stay in the API's history. */
  private static final int HISTORY_EVENTS = 5000;

  /** The parts a conversation page reads. */
  public record Parts(Agents agents, AgentRuns runs, ChatService chat, Threads threads, Events events) {}

  private final Parts parts;
  private final ApprovalPages approvals;
  private final Frames frames;
  private final Templates templates;

  public AgentPages(Parts parts, ApprovalPages approvals, Frames frames, Templates templates) {
    this.parts = parts;
    this.approvals = approvals;
    this.frames = frames;
    this.templates = templates;
  }

  public void register(Api api) {
    var run = Access.page(Permission.AGENT_RUN);
    api.page(HandlerType.GET, "/agents", Access.page(Permission.STATUS_READ), "The agents, their tools and approval policy",
        ctx -> templates.render(ctx, "agents.jte", Map.of("frame", frames.of(ctx, "Agents", "agents", ""),
            "agents", parts.agents().all(), "problems", parts.agents().problems())));
    api.page(HandlerType.GET, "/threads", run, "Your conversations", ctx -> {
      Frame frame = frames.of(ctx, "Conversations", "threads", "");
      Pagination page = Pagination.from(ctx);
      templates.render(ctx, "threads.jte", Map.of("frame", frame, "agents", parts.agents().all(),
          "page", parts.threads().list(frame.caller().userId(), page.afterId(), page.limit())));
    });
    api.page(HandlerType.POST, "/threads", run, "Start a conversation with an agent", ctx -> {
      var started = parts.chat().send(AuthFilter.caller(ctx), null, Forms.optional(ctx, "agent"),
          ctx.formParam("message"));
      ctx.redirect("/threads/" + started.threadId(), HttpStatus.SEE_OTHER);
    });
    api.page(HandlerType.GET, "/threads/{id}", run, "A conversation, live", this::show);
    api.page(HandlerType.POST, "/threads/{id}/messages", run, "Send a message", ctx -> {
      long id = PathParams.id(ctx, "id");
      parts.chat().send(AuthFilter.caller(ctx), id, null, ctx.formParam("message"));
      ctx.redirect("/threads/" + id, HttpStatus.SEE_OTHER);
    });
    api.page(HandlerType.GET, "/threads/{id}/approvals", run, "The conversation's waiting tool calls", ctx -> {
      ChatThread thread = owned(ctx);
      templates.render(ctx, "approval_cards.jte", cardParameters(frames.of(ctx, "", "threads", ""), thread));
    });
  }

  private void show(Context ctx) {
    ChatThread thread = owned(ctx);
    String topic = "thread:" + thread.id();
    Frame frame = frames.of(ctx, thread.title(), "threads", topic);
    List<Event> history = parts.events().latest(TopicFilter.of(topic), null, HISTORY_EVENTS);
    var parameters = new HashMap<>(cardParameters(frame, thread));
    parameters.put("thread", thread);
    parameters.put("history", "[" + history.stream().map(Event::toJson).collect(Collectors.joining(","))
        .replace("<", "\\u003c") + "]");
    templates.render(ctx, "thread.jte", parameters);
  }

  private Map<String, Object> cardParameters(Frame frame, ChatThread thread) {
    Set<Long> runs = parts.runs().runsOfThread(thread.id());
    return Map.of("frame", frame, "cards", approvals.cards(approval -> runs.contains(approval.executionId())),
        "next", "/threads/" + thread.id(), "source", "/threads/" + thread.id() + "/approvals");
  }

  /** The caller's thread; another user's is a 404, as in the API. */
  private ChatThread owned(Context ctx) {
    long id = PathParams.id(ctx, "id");
    return parts.threads().find(AuthFilter.caller(ctx).userId(), id)
        .orElseThrow(() -> ApiError.notFound("you have no conversation with id " + id));
  }
}
