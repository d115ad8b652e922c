package dev.stepwise.ui;

import dev.stepwise.agents.runtime.AgentRuns;
import dev.stepwise.auth.Permission;
import dev.stepwise.executions.ExecutionService;
import dev.stepwise.executions.PendingApproval;
import dev.stepwise.plans.ExecutionKind;
import dev.stepwise.tasks.Phase;
import dev.stepwise.web.Access;
import dev.stepwise.web.Api;
import dev.stepwise.web.Json;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** What waits for a decision, as cards that show exactly what will run; and the navigation's count. */
public final class ApprovalPages {
  private final ExecutionService service;
  private final AgentRuns agentRuns;
  private final Frames frames;
  private final Templates templates;

  public ApprovalPages(ExecutionService service, AgentRuns agentRuns, Frames frames, Templates templates) {
    this.service = service;
    this.agentRuns = agentRuns;
    this.frames = frames;
    this.templates = templates;
  }

  /**
   * One waiting step as its card shows it.
   *
   * @param arguments the tool call's arguments as indented JSON, or {@code null} for a gate
   * @param thinking what the agent said last before asking, or {@code null}
   * @param gate what approving a gate (a step without a command or a call) does
   */
  public record Card(PendingApproval approval, String arguments, String thinking, String gate) {
    static final String GENERIC_GATE = "An approval gate: approving lets the execution go on to its next step.";
  }

  public void register(Api api) {
    api.page(HandlerType.GET, "/approvals", Access.page(Permission.STATUS_READ), "Steps waiting for a decision",
        this::show);
    api.page(HandlerType.GET, "/approvals/count", Access.page(Permission.STATUS_READ),
        "The navigation's count of waiting steps",
        ctx -> templates.render(ctx, "parts/approval_count.jte", Map.of("count", service.countPendingApprovals())));
  }

  private void show(Context ctx) {
    Frame frame = frames.of(ctx, "Approvals", "approvals", "");
    var parameters = Map.<String, Object>of("frame", frame, "cards", cards(approval -> true), "next", "/approvals",
        "source", "/approvals?part=fragment");
    templates.render(ctx, Forms.fragment(ctx) ? "approval_cards.jte" : "approvals.jte",
        parameters);
  }

  /** The cards of the steps waiting now, oldest first, that {@code shown} keeps. */
  List<Card> cards(Predicate<PendingApproval> shown) {
    return service.pendingApprovals(null).stream().filter(shown).map(this::card).toList();
  }

  private Card card(PendingApproval approval) {
    String arguments = approval.call() == null ? null : Json.mapper().valueToTree(approval.call().arguments())
        .toPrettyString();
    String thinking = approval.call() == null ? null
        : agentRuns.lastThinking(approval.executionId(), approval.stepNumber()).orElse(null);
    String gate = approval.kind() != ExecutionKind.TASK ? Card.GENERIC_GATE
        : Phase.ofStep(approval.stepName()).flatMap(Phase::decision).orElse(Card.GENERIC_GATE);
    return new Card(approval, arguments, thinking, gate);
  }
}
