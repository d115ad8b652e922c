package dev.stepwise.ui;

import dev.stepwise.auth.Permission;
import dev.stepwise.events.Events;
import dev.stepwise.executions.ExecutionService;
import dev.stepwise.web.AuthFilter;
import dev.stepwise.web.BrowserSession;
import io.javalin.http.Context;
import java.time.Clock;

/** Builds each page's {@link Frame}. Thread-safe. */
public final class Frames {
  private final Events events;
  private final ExecutionService executions;
  private final Clock clock;

  public Frames(Events events, ExecutionService executions, Clock clock) {
    this.events = events;
    this.executions = executions;
    this.clock = clock;
  }

  /**
   * The frame of a page; call it before reading the page's data, so that the live stream starts
   * no later than what the page shows.
   *
   * @param topics the topics the page follows besides {@code approvals} (for the navigation count)
   */
  public Frame of(Context ctx, String title, String section, String topics) {
    long since = events.maxId();
    var caller = AuthFilter.caller(ctx);
    String allTopics = topics == null || topics.isEmpty() ? "approvals" : topics + ",approvals";
    long waiting = caller.can(Permission.STATUS_READ) ? executions.countPendingApprovals() : 0;
    return new Frame(title, section, caller, BrowserSession.csrfToken(AuthFilter.token(ctx)), waiting, allTopics,
        since, clock.instant());
  }
}
