package dev.stepwise.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.ColorScheme;
import dev.stepwise.auth.Role;
import dev.stepwise.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sign-in, AI Generate Tests, a chat whose tool call waits for approval, and administration, in a real
 * browser.
 */
public abstract class DashboardFlowsContract extends BrowserContract {
  @Test
  void pages_without_a_session_send_the_browser_to_sign_in_and_back() {
    Page page = context.newPage();
    page.navigate("/approvals");
    assertThat(page).hasURL(java.util.regex.Pattern.compile(".*/login\\?next=%2Fapprovals$"));
    page.getByLabel("Username").fill("admin");
    page.getByLabel("Password").fill("wrong-password");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    assertThat(page.getByRole(AriaRole.ALERT)).containsText("Invalid");
    page.getByLabel("Username").fill("admin");
    page.getByLabel("Password").fill(TestServer.ADMIN_PASSWORD);
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
    assertThat(page).hasURL(java.util.regex.Pattern.compile(".*/approvals$"));
    var cookie = context.cookies().stream().filter(c -> c.name.equals("stepwise_session")).findFirst().orElseThrow();
    assertThat(cookie.httpOnly).isTrue();
    assertThat(cookie.sameSite).hasToString("STRICT");
    screenshot(page, "overview-signed-in");
    page.navigate("/");
    assertThat(page.locator("#orchestrator-status")).hasText("running");
    assertThat(page.locator(".chart .uplot canvas")).isVisible();
    screenshot(page, "overview");
    page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(ColorScheme.DARK));
    assertThat(page.evaluate("getComputedStyle(document.body).backgroundColor")).isEqualTo("rgb(18, 21, 26)");
    screenshot(page, "overview-dark");
    page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(ColorScheme.LIGHT));
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign out")).click();
    assertThat(page).hasURL(java.util.regex.Pattern.compile(".*/login$"));
    page.navigate("/");
    assertThat(page).hasURL(java.util.regex.Pattern.compile(".*/login\\?next=%2F$"));
  }

  @Test
  void ai_generate_tests_from_a_function_shows_the_cases_and_their_execution() {
    Page page = signInAsAdmin();
    page.navigate("/tests");
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("AI Generate Tests")).click();
    page.getByLabel("File path (inside the source root)").fill("c/netparse.c");
    page.getByLabel("Function").fill("parse_port");
    page.getByLabel("How many (1–50)").fill("2");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Generate")).click();
    assertThat(page.locator("main > h1")).hasText("Generated 2 test cases");
    assertThat(page.locator("#generated-cases tbody tr")).hasCount(2);
    assertThat(page.locator("#generated-cases")).containsText("parse_port");
    assertThat(page.locator("#summary #execution-status")).hasText("completed");
    screenshot(page, "generated-tests");
  }

  @Test
  void test_cases_are_created_searched_edited_and_deleted_and_a_mistake_keeps_what_was_typed() {
    Page page = signInAsAdmin();
    page.navigate("/tests");
    page.locator("summary", new Page.LocatorOptions().setHasText("Create a test case")).click();
    Locator form = page.locator("form[aria-label='New test case']");
    form.getByLabel("Name").fill("ports_are_parsed");
    form.getByLabel("Subsystem").fill("net");
    form.getByLabel("Tags (comma-separated)").fill("fast, not a tag!");
    form.getByLabel("Command").fill("./run.sh ports");
    form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create")).click();
    assertThat(page.locator("#error-tags")).isVisible();
    assertThat(form.getByLabel("Name")).hasValue("ports_are_parsed");
    assertThat(form.getByLabel("Command")).hasValue("./run.sh ports");
    form.getByLabel("Tags (comma-separated)").fill("fast");
    form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create")).click();
    assertThat(page.locator("main > h1")).containsText("ports_are_parsed");

    page.getByLabel("Name").fill("   ");
    page.getByLabel("Command").fill("./run.sh ports --verbose");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save")).click();
    assertThat(page.locator("#error-name")).isVisible();
    assertThat(page.getByLabel("Command")).hasValue("./run.sh ports --verbose");
    page.getByLabel("Name").fill("ports_are_parsed_strictly");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Save")).click();
    assertThat(page.locator("main > h1")).containsText("ports_are_parsed_strictly");

    page.navigate("/tests?name=STRICTLY&subsystem=net");
    assertThat(page.locator("tbody")).containsText("ports_are_parsed_strictly");
    page.navigate("/tests?name=strictly&subsystem=disk");
    assertThat(page.locator("tbody")).containsText("No test cases match.");
    page.navigate("/tests?name=strictly");
    page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("ports_are_parsed_strictly")).click();
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete")).click();
    assertThat(page).hasURL(java.util.regex.Pattern.compile(".*/tests$"));
    assertThat(page.locator("tbody")).not().containsText("ports_are_parsed_strictly");
  }

  @Test
  void a_chat_shows_thinking_the_tool_call_its_approval_the_result_and_the_reply_in_order() {
    Page page = signInAsAdmin();
    page.navigate("/threads");
    page.getByLabel("Agent").selectOption("careful");
    page.getByLabel("Message").fill("Please say hello");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Send")).click();
    page.waitForURL("**/threads/*");
    Locator card = page.locator("#approval-cards article.card");
    assertThat(card).containsText("echo hello-from-tool");
    assertThat(card).containsText("I will greet through the shell first.");
    screenshot(page, "chat-approval");
    card.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Approve")).click();
    page.waitForURL("**/threads/*");
    Locator transcript = page.locator("#transcript");
    assertThat(transcript.locator(".entry-assistant")).containsText("The tool said hello.");
    List<String> expected = List.of("user:Please say hello", "thinking:I will greet through the shell first.",
        "tool:hello-from-tool", "thinking:The shell answered.", "assistant:The tool said hello.");
    assertThat(entries(transcript)).containsExactlyElementsOf(expected);
    page.reload();
    assertThat(transcript.locator(".entry-assistant")).containsText("The tool said hello.");
    assertThat(entries(transcript)).containsExactlyElementsOf(expected);
    screenshot(page, "chat");
  }

  @Test
  void an_admin_manages_users_and_sees_a_new_api_token_once() {
    Page page = signInAsAdmin();
    page.navigate("/admin/users");
    Locator form = page.locator("form[aria-label='New user']");
    form.getByLabel("Username").fill("dana");
    form.getByLabel("Password").fill("a-long-enough-password");
    form.getByLabel("Role").selectOption("operator");
    form.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Create")).click();
    Locator row = page.locator("tr", new Page.LocatorOptions().setHasText("dana"));
    assertThat(row.getByLabel("Role of dana")).hasValue("operator");
    row.getByLabel("Role of dana").selectOption("viewer");
    row.getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Save")).click();
    assertThat(page.locator("tr", new Page.LocatorOptions().setHasText("dana")).getByLabel("Role of dana"))
        .hasValue("viewer");
    page.navigate("/admin/tokens");
    page.getByLabel("Name").fill("ci-pipeline");
    page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create")).click();
    String token = page.locator("#new-token").textContent().trim();
    assertThat(client.get("/api/v1/auth/me", token).data().path("username").asText()).isEqualTo("admin");
    page.navigate("/admin/tokens");
    assertThat(page.locator("#new-token")).hasCount(0);
    assertThat(page.locator("body")).not().containsText(token);
    assertThat(page.locator("tr", new Page.LocatorOptions().setHasText("ci-pipeline"))).isVisible();
  }
}
