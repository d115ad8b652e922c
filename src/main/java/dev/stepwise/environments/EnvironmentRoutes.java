package dev.stepwise.environments;

import dev.stepwise.auth.Permission;
import dev.stepwise.environments.ssh.SshConnections;
import dev.stepwise.web.Access;
import dev.stepwise.web.Api;
import dev.stepwise.web.ApiError;
import dev.stepwise.web.ApiResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * The environments API (API.md §10): where steps run, how busy each is across every node (slots
 * held, executions waiting), how it answered this node last, and a check that connects and runs
 * {@code true}.
 */
public final class EnvironmentRoutes {
  private final EnvironmentsView view;
  private final SshConnections connections;
  private final List<String> localLabels;
  private final int localSlots;
  private final IntSupplier localBusy;

  /** @param localBusy how many executions this node runs now */
  public EnvironmentRoutes(EnvironmentsView view, List<String> localLabels, int localSlots, IntSupplier localBusy) {
    this.view = view;
    this.connections = view.connections();
    this.localLabels = List.copyOf(localLabels);
    this.localSlots = localSlots;
    this.localBusy = localBusy;
  }

  public void register(Api api) {
    api.get(Api.V1 + "/environments", Access.requires(Permission.STATUS_READ),
        "Where steps run: local and each remote environment, with its labels, slots, busy, reachability",
        ctx -> ApiResponse.ok(ctx, Map.of("items", items())));
    api.post(Api.V1 + "/environments/{name}/check", Access.requires(Permission.ORCHESTRATOR_ADMIN),
        "Connect to an environment and run `true`: {ok, rtt_ms, error?}", ctx -> {
          String name = ctx.pathParam("name");
          var data = new LinkedHashMap<String, Object>();
          if (name.equals(Placements.LOCAL)) {
            data.put("ok", true);
            data.put("rtt_ms", 0);
          } else {
            if (!connections.specs().containsKey(name)) throw ApiError.notFound("there is no environment named '" + name + "'");
            SshConnections.Check check = connections.check(name);
            data.put("ok", check.ok());
            data.put("rtt_ms", check.rttMillis());
            if (check.error() != null) data.put("error", check.error());
          }
          ApiResponse.ok(ctx, data);
        });
  }

  /** Every environment as the API shows it, {@code local} first. */
  public List<Map<String, Object>> items() {
    List<Map<String, Object>> items = new ArrayList<>();
    var local = new LinkedHashMap<String, Object>();
    local.put("name", Placements.LOCAL);
    local.put("type", "local");
    local.put("labels", localLabels);
    local.put("slots", localSlots);
    local.put("busy", localBusy.getAsInt());
    local.put("waiting", 0);
    local.put("reachable", true);
    local.put("last_ok_at", null);
    local.put("rtt_ms", null);
    local.put("last_error", null);
    items.add(local);
    items.addAll(view.remote());
    return items;
  }
}
