package dev.stepwise.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import dev.stepwise.auth.Role;
import dev.stepwise.testing.Browser;
import dev.stepwise.testing.TestServer;
import org.junit.jupiter.api.Test;

/**
 * Approvals in a real browser: one click approves, the count follows, a viewer sees no button, and a
 * forged POST or one without its CSRF token is refused.
 */
public abstract class ApprovalsPageContract extends BrowserContract {
  @Test
  void a_gated_step_is_approved_in_one_click_and_the_count_follows() {
    Page page = signInAsAdmin();
    page.navigate("/approvals");
    awaitLive(page);
    int before = Integer.parseInt(page.locator("#approvals-count").textContent().trim());
    long id = submit(server.adminToken(), """
        name: gated-deploy
        steps:
          - name: deploy
            run: echo deploying; sleep 2; echo deployed
            requires_approval: true
        """);
    Locator card = page.locator("article.card", new Page.LocatorOptions().setHasText("gated-deploy"));
    assertThat(card).containsText("echo deploying; sleep 2; echo deployed");
    assertThat(page.locator("#approvals-count")).hasText(Integer.toString(before + 1));
    screenshot(page, "approvals");
    card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Approve")).click();
    page.navigate("/executions/" + id);
    assertThat(page.locator("#step-1 .status")).hasText("running");
    assertThat(page.locator("#step-1 .status")).hasText("succeeded");
    assertThat(page.locator("#execution-status")).hasText("completed");
    assertThat(page.locator("#step-1")).containsText("approved by admin");
  }

  @Test
  void a_viewer_sees_no_button_and_a_forged_post_or_one_without_its_csrf_token_is_refused() {
    long id = submit(server.adminToken(), """
        name: needs-a-decision
        steps:
          - name: gate
            type: approval
        """);
    server.tokenFor(Role.VIEWER);
    Page viewer = Browser.signIn(context, "viewer-user", "password-viewer-user");
    viewer.navigate("/approvals");
    assertThat(viewer.locator("article.card", new Page.LocatorOptions().setHasText("needs-a-decision"))).isVisible();
    assertThat(viewer.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Approve"))).hasCount(0);
    viewer.navigate("/executions/" + id);
    assertThat(viewer.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Cancel"))).hasCount(0);
    String viewerCsrf = viewer.locator("meta[name='csrf-token']").getAttribute("content");
    var forged = viewer.request().post("/executions/" + id + "/steps/1/approve", RequestOptions.create()
        .setForm(FormData.create().set("csrf", viewerCsrf).set("approve", "true")).setMaxRedirects(0));
    assertThat(forged.status()).isEqualTo(403);

    BrowserContext adminContext = browser.newContext(client.baseUrl());
    Page admin = Browser.signIn(adminContext, "admin", TestServer.ADMIN_PASSWORD);
    var withoutToken = admin.request().post("/executions/" + id + "/steps/1/approve", RequestOptions.create()
        .setForm(FormData.create().set("approve", "true")).setMaxRedirects(0));
    assertThat(withoutToken.status()).isEqualTo(403);
    var withViewersToken = admin.request().post("/executions/" + id + "/steps/1/approve", RequestOptions.create()
        .setForm(FormData.create().set("csrf", viewerCsrf).set("approve", "true")).setMaxRedirects(0));
    assertThat(withViewersToken.status()).isEqualTo(403);
    adminContext.close();
    assertThat(client.get("/api/v1/executions/" + id, server.adminToken()).data().path("status").asText())
        .isEqualTo("waiting_approval");
  }
}
