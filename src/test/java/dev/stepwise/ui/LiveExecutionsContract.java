package dev.stepwise.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.stepwise.testing.Browser;
import dev.stepwise.testing.CuttableProxy;
import dev.stepwise.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The executions pages in a real browser: rows and logs arrive live, a dropped connection loses nothing, a
 * reader scrolled up stays put, bursts are coalesced, a queued execution says why, markup is text.
 */
public abstract class LiveExecutionsContract extends BrowserContract {
  @Test
  void a_submitted_plan_appears_and_its_log_arrives_live_until_it_completes() {
    Page page = signInAsAdmin();
    page.navigate("/executions");
    awaitLive(page);
    page.evaluate("window.__notReloaded = true");
    long id = submit(server.adminToken(), """
        name: live-on-screen
        steps:
          - name: count
            run: echo count-1; sleep 1.5; for i in 2 3 4 5; do echo "count-$i"; sleep 0.2; done
        """);
    Locator row = page.locator("tr[data-id='" + id + "']");
    assertThat(row).containsText("live-on-screen");
    assertThat(page.evaluate("window.__notReloaded")).isEqualTo(true);
    row.getByRole(AriaRole.LINK, new Locator.GetByRoleOptions().setName("live-on-screen")).click();
    awaitLive(page);
    page.evaluate("window.__notReloaded = true");
    assertThat(page.locator("pre.log[data-step='1']")).containsText("count-5");
    assertThat(page.locator("#execution-status")).hasText("completed");
    assertThat(page.evaluate("window.__notReloaded")).isEqualTo(true);
    assertThat(lines(page, "count-")).containsExactly("count-1", "count-2", "count-3", "count-4", "count-5");
    screenshot(page, "execution");
    page.navigate("/executions");
    screenshot(page, "executions");
  }

  @Test
  void after_the_connection_drops_while_a_step_prints_every_line_is_there_once() throws Exception {
    try (var proxy = new CuttableProxy(server.port());
         BrowserContext throughProxy = browser.newContext(proxy.baseUrl())) {
      Page page = Browser.signIn(throughProxy, "admin", TestServer.ADMIN_PASSWORD);
      long id = submit(server.adminToken(), """
          name: prints-through-an-outage
          steps:
            - name: lines
              run: for i in $(seq 1 40); do echo "line-$i"; sleep 0.15; done
          """);
      page.navigate("/executions/" + id);
      awaitLive(page);
      Locator log = page.locator("pre.log[data-step='1']");
      assertThat(log).containsText("line-3");
      proxy.cut();
      assertThat(page.locator("#connection")).isVisible();
      page.waitForTimeout(2500);
      proxy.restore();
      assertThat(page.locator("#connection")).isHidden();
      assertThat(page.locator("#execution-status")).hasText("completed");
      assertThat(log).containsText("line-40");
      List<String> expected = new ArrayList<>();
      for (int i = 1; i <= 40; i++) expected.add("line-" + i);
      assertThat(lines(page, "line-")).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void a_log_scrolled_up_by_its_reader_stays_put_while_lines_arrive() {
    Page page = signInAsAdmin();
    long id = submit(server.adminToken(), """
        name: long-output
        steps:
          - name: lines
            run: for i in $(seq 1 300); do echo "row-$i"; sleep 0.01; done; sleep 1; echo row-last
        """);
    page.navigate("/executions/" + id);
    Locator log = page.locator("pre.log[data-step='1']");
    assertThat(log).containsText("row-100");
    page.waitForCondition(() -> ((Number) log.evaluate("pre => pre.scrollTop")).intValue() > 0);
    log.evaluate("pre => { pre.scrollTop = 0; }");
    assertThat(log).containsText("row-last");
    assertThat(((Number) log.evaluate("pre => pre.scrollTop")).intValue()).isZero();
  }

  @Test
  void a_burst_of_events_is_coalesced_into_a_few_renders() {
    Page page = signInAsAdmin();
    page.navigate("/executions");
    awaitLive(page);
    List<String> refreshes = new java.util.concurrent.CopyOnWriteArrayList<>();
    page.onRequest(request -> {
      if (request.url().contains("part=fragment")) refreshes.add(request.url());
    });
    String token = server.adminToken();
    long last = 0;
    for (int i = 0; i < 150; i++) last = submit(token, "name: burst-" + i + "\nsteps: [{name: a, type: noop}]");
    awaitFinished(last, token);
    assertThat(page.locator("tr[data-id='" + last + "']")).containsText("completed");
    // 150 executions make 450 lifecycle events; each refresh is at least half a second after the last
    assertThat(refreshes).hasSizeLessThan(40);
  }

  @Test
  void a_region_replaced_while_its_refresh_was_on_the_way_keeps_refreshing() {
    Page page = signInAsAdmin();
    page.navigate("/executions");
    awaitLive(page);
    // the first refresh of the rows loses its element on the way, as when a form's answer replaces
    // the region meanwhile: that refresh's answer then reaches no one
    onFirstRefreshOfRows(page, "__replaced",
        "var copy = e.detail.elt.cloneNode(true); e.detail.elt.replaceWith(copy); htmx.process(copy);");
    String token = server.adminToken();
    long first = submit(token, "name: lost-refresh\nsteps: [{name: a, type: noop}]");
    awaitFinished(first, token);
    awaitFlag(page, "__replaced");
    long second = submit(token, "name: after-the-lost-refresh\nsteps: [{name: a, type: noop}]");
    awaitFinished(second, token);
    assertThat(page.locator("tr[data-id='" + second + "']")).containsText("completed");
  }

  @Test
  void a_refresh_that_never_went_out_is_made_good_after_the_last_event() {
    Page page = signInAsAdmin();
    page.navigate("/executions");
    awaitLive(page);
    // the rows' first refresh is cancelled before it is sent, as when htmx holds it behind a request
    // whose element is then replaced: nothing answers it, and no event comes after it
    onFirstRefreshOfRows(page, "__cancelled", "e.preventDefault();");
    String token = server.adminToken();
    long id = submit(token, "name: never-sent\nsteps: [{name: a, type: noop}]");
    awaitFinished(id, token);
    awaitFlag(page, "__cancelled");
    assertThat(page.locator("tr[data-id='" + id + "']")).containsText("completed");
  }

  /**
   * Runs {@code action} (JavaScript, with htmx's {@code htmx:beforeRequest} event as {@code e}) when
   * the rows' first refresh is about to go out, and sets {@code window[flag]} then.
   */
  private static void onFirstRefreshOfRows(Page page, String flag, String action) {
    page.evaluate("document.addEventListener('htmx:beforeRequest', function (e) {"
        + "  if (e.detail.elt.id !== 'rows' || window." + flag + ") return;"
        + "  window." + flag + " = true; " + action
        + "})");
  }

  private static void awaitFlag(Page page, String flag) {
    page.waitForCondition(() -> Boolean.TRUE.equals(page.evaluate("window." + flag + " === true")));
  }

  @Test
  void a_queued_execution_says_why_it_is_not_running_and_starts_on_screen_when_it_can() {
    Page page = signInAsAdmin();
    server.app().orchestrator().pause();
    long id;
    try {
      id = submit(server.adminToken(), "name: waits-for-the-engine\nsteps: [{name: a, run: echo ran}]");
      page.navigate("/");
      assertThat(page.locator("#orchestrator-status")).hasText("stopped");
      page.navigate("/executions/" + id);
      awaitLive(page);
      assertThat(page.locator("#why")).containsText("is stopped");
    } finally {
      server.app().orchestrator().resume();
    }
    assertThat(page.locator("#execution-status")).hasText("completed");
    assertThat(page.locator("#why")).hasCount(0);
    assertThat(page.locator("pre.log[data-step='1']")).containsText("ran");
  }

  @Test
  void markup_printed_by_a_step_or_named_in_a_plan_is_shown_as_text() {
    Page page = signInAsAdmin();
    List<String> dialogs = new ArrayList<>();
    page.onDialog(dialog -> {
      dialogs.add(dialog.message());
      dialog.dismiss();
    });
    long id = submit(server.adminToken(), """
        name: "<b>bold</b> name"
        steps:
          - name: markup
            run: echo '<script>alert(1)</script>'
        """);
    awaitFinished(id, server.adminToken());
    page.navigate("/executions/" + id);
    assertThat(page.locator("pre.log[data-step='1']")).containsText("<script>alert(1)</script>");
    assertThat(page.locator("h1")).containsText("<b>bold</b> name");
    assertThat(page.locator("h1 b")).hasCount(0);
    page.navigate("/executions");
    assertThat(page.locator("tr[data-id='" + id + "']")).containsText("<b>bold</b> name");
    assertThat(dialogs).isEmpty();
  }
}
