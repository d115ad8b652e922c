package dev.stepwise.ui;

import dev.stepwise.auth.ApiTokenService;
import dev.stepwise.auth.LoginService;
import dev.stepwise.auth.UserService;
import dev.stepwise.executions.ExecutionService;
import dev.stepwise.orchestrator.ExecutionMetrics;
import dev.stepwise.orchestrator.QueueReasons;
import dev.stepwise.testcases.TestCaseService;
import dev.stepwise.testcases.TestGeneration;
import dev.stepwise.web.Api;
import dev.stepwise.web.ErrorPages;
import java.time.Clock;
import java.util.List;
import java.util.function.Consumer;

/**
 * The dashboard (API.md §11): server-rendered pages over the same services as the API, with the
 * same permissions. Each page class registers its own paths; this builds and lists them.
 */
public final class Dashboard {
  /** The services the pages call: those of the API. */
  public record Parts(LoginService logins, boolean demoLogin, UserService users, ApiTokenService apiTokens,
      ExecutionService executions, ExecutionMetrics metrics, QueueReasons queueReasons, AgentPages.Parts agents,
      TestCaseService testCases, TestGeneration generation, TaskPages.Parts tasks, Clock clock) {}

  private final Templates templates = new Templates();
  private final List<Consumer<Api>> pages;

  public Dashboard(Parts parts) {
    var frames = new Frames(parts.agents().events(), parts.executions(), parts.clock());
    var approvals = new ApprovalPages(parts.executions(), parts.agents().runs(), frames, templates);
    pages = List.of(
        new Assets()::register,
        new LoginPages(parts.logins(), templates, parts.demoLogin())::register,
        new OverviewPage(parts.metrics(), parts.executions(), frames, templates, parts.clock())::register,
        new ExecutionPages(parts.executions(), parts.queueReasons(), parts.agents().events(), frames, templates)::register,
        approvals::register,
        new TestPages(parts.testCases(), parts.generation(), frames, templates)::register,
        new AgentPages(parts.agents(), approvals, frames, templates)::register,
        new TaskPages(parts.tasks(), approvals, frames, templates)::register,
        new AdminPages(parts.users(), parts.apiTokens(), frames, templates)::register);
  }

  public void register(Api api) {
    pages.forEach(page -> page.accept(api));
  }

  public ErrorPages errorPages() {
    return new HtmlErrors(templates);
  }
}
