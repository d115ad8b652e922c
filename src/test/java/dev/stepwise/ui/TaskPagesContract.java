package dev.stepwise.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.FormData;
import com.microsoft.playwright.options.RequestOptions;
import dev.stepwise.app.Config;
import dev.stepwise.auth.Role;
import dev.stepwise.tasks.run.NativeTaskRunsContract;
import dev.stepwise.testing.Browser;
import dev.stepwise.testing.GitRepo;
import dev.stepwise.testing.ScriptedOpenAiServer;
import dev.stepwise.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The task pages in a real browser: create a task with the form, press Execute, watch the
 * lifecycle move live, approve the plan and the merge in one click each, read the activity and the
 * diff; a viewer can look but not act, and a forged Execute is refused.
 */
public abstract class TaskPagesContract extends BrowserContract {
  private ScriptedOpenAiServer model;
  private Path root;

  @Override
  protected TestServer.Builder configure(TestServer.Builder builder) {
    try {
      model = new ScriptedOpenAiServer().respond(NativeTaskRunsContract::nativeWorker);
      root = Files.createTempDirectory("stepwise-repos-").toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return super.configure(builder).tasks(new Config.Tasks(List.of(root), "native", "opencode"))
        .model(new Config.Model("openai", model.baseUrl(), "scripted-model", null, Duration.ofSeconds(30)));
  }

  @AfterAll
  void stopModel() {
    model.close();
  }

  @Test
  void a_task_is_created_executed_reviewed_and_done_with_its_lifecycle_activity_and_diff_on_screen() {
    Path repository = repository("web");
    Page page = signInAsAdmin();
    page.navigate("/tasks");
    page.locator("summary", new Page.LocatorOptions().setHasText("Create a task")).click();
    page.getByLabel("Title").fill("Add notes from the dashboard");
    page.getByLabel("What to do").fill("Add notes.txt and shout line two of app.txt");
    page.getByLabel("Repository (a git work tree under tasks.repositories)").fill(repository.toString());
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create")).click();
    page.waitForURL(url -> url.matches(".*/tasks/\\d+$"));
    assertThat(page.locator("#task-status")).hasText("todo");
    assertThat(page.locator("#task-activity")).containsText("press Execute");

    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Execute").setExact(true)).click();
    awaitLive(page);
    page.evaluate("window.__notReloaded = true");
    // the plan arrives, and the lifecycle moves, without a reload
    assertThat(page.locator("#task-status")).hasText("planning review");
    assertThat(page.locator("pre.plan")).containsText("1. Add notes.txt");
    assertThat(page.locator(".lifecycle li.current")).hasText("planning review");
    assertThat(page.locator("#task-activity")).containsText("planning succeeded");
    assertThat((Boolean) page.evaluate("window.__notReloaded === true")).isTrue();
    screenshot(page, "task-plan-review");

    Locator card = page.locator("article.card", new Page.LocatorOptions().setHasText("planning_review"));
    assertThat(card).containsText("approving lets the agent start the work");
    card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Approve")).click();
    Locator merge = page.locator("article.card", new Page.LocatorOptions().setHasText("merge_review"));
    assertThat(merge).isVisible();
    assertThat(merge).containsText("approving marks the task done");
    assertThat(page.locator("#task-status")).hasText("ai review");
    assertThat(page.locator("#task-changes")).containsText("2 files");
    assertThat(page.locator("pre.diff .add", new Page.LocatorOptions().setHasText("+TWO"))).hasCount(1);
    assertThat(page.locator("pre.diff .del", new Page.LocatorOptions().setHasText("-two"))).hasCount(1);
    merge.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Approve")).click();
    assertThat(page.locator("#task-status")).hasText("done");
    assertThat(page.locator("#task-activity .entry-tool_call", new Page.LocatorOptions().setHasText("notes.txt")))
        .hasCount(1);
    assertThat(page.locator("#task-activity")).containsText("VERDICT: PASS");
    screenshot(page, "task-done");
    page.navigate("/tasks?status=done");
    assertThat(page.locator("#task-rows")).containsText("Add notes from the dashboard");
    screenshot(page, "tasks");
  }

  @Test
  void the_list_executes_a_task_and_follows_it_live_and_a_bad_form_keeps_what_was_typed() {
    Path repository = repository("list");
    long id = client.post("/api/v1/tasks", server.adminToken(), Map.of("title", "Listed task",
        "repository_path", repository.toString(), "review", Map.of("plan", "human"))).data().path("id").asLong();
    Page page = signInAsAdmin();
    page.navigate("/tasks");
    awaitLive(page);
    Locator row = page.locator("tr[data-task='" + id + "']");
    row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Execute")).click();
    page.waitForURL(url -> url.endsWith("/tasks/" + id));
    page.navigate("/tasks");
    awaitLive(page);
    assertThat(page.locator("tr[data-task='" + id + "']")).containsText("planning review");
    assertThat(page.locator("tr[data-task='" + id + "']").getByRole(AriaRole.BUTTON)).hasCount(0);

    page.locator("summary", new Page.LocatorOptions().setHasText("Create a task")).click();
    page.getByLabel("Title").fill("Kept title");
    page.getByLabel("Repository (a git work tree under tasks.repositories)").fill("/etc");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create")).click();
    assertThat(page.locator("#error-repository_path")).isVisible();
    assertThat(page.getByLabel("Title")).hasValue("Kept title");
    client.post("/api/v1/tasks/" + id + "/cancel", server.adminToken(), null);
  }

  @Test
  void a_viewer_sees_tasks_but_no_button_and_a_forged_execute_is_refused() {
    Path repository = repository("viewer");
    long id = client.post("/api/v1/tasks", server.adminToken(), Map.of("title", "Look only",
        "repository_path", repository.toString())).data().path("id").asLong();
    server.tokenFor(Role.VIEWER);
    Page viewer = Browser.signIn(context, "viewer-user", "password-viewer-user");
    viewer.navigate("/tasks/" + id);
    assertThat(viewer.locator("#task-status")).hasText("todo");
    assertThat(viewer.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Execute"))).hasCount(0);
    viewer.navigate("/tasks");
    assertThat(viewer.locator("summary", new Page.LocatorOptions().setHasText("Create a task"))).hasCount(0);
    String csrf = viewer.locator("meta[name='csrf-token']").getAttribute("content");
    var forged = viewer.request().post("/tasks/" + id + "/execute", RequestOptions.create()
        .setForm(FormData.create().set("csrf", csrf)).setMaxRedirects(0));
    assertThat(forged.status()).isEqualTo(403);
    assertThat(client.get("/api/v1/tasks/" + id, server.adminToken()).data().path("status").asText()).isEqualTo("todo");
    // the page's script asks with HEAD whether its session still holds: an answer, never an error
    assertThat(viewer.request().head("/tasks/" + id).status()).isEqualTo(200);
    assertThat(browser.newContext(client.baseUrl()).request().head("/tasks/" + id,
        RequestOptions.create().setMaxRedirects(0)).status()).isEqualTo(303);
  }

  private Path repository(String name) {
    return GitRepo.appRepository(root, name);
  }

}
