package dev.stepwise.ui;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import dev.stepwise.app.Config;
import dev.stepwise.testing.Browser;
import dev.stepwise.testing.ServerContract;
import dev.stepwise.testing.TestServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of the dashboard's browser suites: one real server and one headless Chromium per class,
 * a fresh browser profile per test.
 */
public abstract class BrowserContract extends ServerContract {
  private static final Path SOURCES = Path.of("src/test/resources/sources").toAbsolutePath();
  private static final Path SCREENSHOTS = Path.of("target/screenshots");

  protected Browser browser;
  protected BrowserContext context;

  @Override
  protected TestServer.Builder configure(TestServer.Builder builder) {
    return builder.workers(4).testing(new Config.Testing(SOURCES, Map.of("default", "echo running {test_name}"), 64 * 1024)).agentFile("careful.yaml", """
        name: careful
        description: Asks before it runs anything
        model:
          provider: scripted
          script:
            - thinking: I will greet through the shell first.
              tool: {name: shell, arguments: {command: "echo hello-from-tool"}}
            - thinking: The shell answered.
              reply: The tool said hello.
        tools: [shell]
        approval: {shell: always}
        """);
  }

  @BeforeAll
  void startBrowser() {
    PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
    browser = new Browser();
  }

  @BeforeEach
  void openContext() {
    context = browser.newContext(client.baseUrl());
  }

  @AfterEach
  void closeContext() {
    context.close();
  }

  @AfterAll
  void stopBrowser() {
    if (browser != null) browser.close();
  }

  protected Page signInAsAdmin() {
    return Browser.signIn(context, "admin", TestServer.ADMIN_PASSWORD);
  }

  /** Waits until the page's event stream is open, so that what follows is seen live. */
  protected static void awaitLive(Page page) {
    assertThat(page.locator("html[data-live='up']")).hasCount(1);
  }

  /** The lines of step 1's log on the page that start with {@code prefix}. */
  protected static List<String> lines(Page page, String prefix) {
    String text = page.locator("pre.log[data-step='1']").textContent();
    return Arrays.stream(text.split("\n")).filter(line -> line.startsWith(prefix)).toList();
  }

  /** The transcript's entries as {@code kind:text}; a tool call by its result. */
  protected static List<String> entries(Locator transcript) {
    List<String> entries = new ArrayList<>();
    for (Locator entry : transcript.locator(".entry").all()) {
      String kind = entry.getAttribute("class").replace("entry entry-", "");
      String text = kind.equals("tool") ? entry.locator(".tool-result .text").textContent()
          : entry.locator(".text").first().textContent();
      entries.add(kind + ":" + text.strip());
    }
    return entries;
  }

  protected void screenshot(Page page, String name) {
    String dialect = getClass().getSimpleName().contains("Postgres") ? "postgres" : "sqlite";
    page.screenshot(new Page.ScreenshotOptions().setFullPage(true)
        .setPath(SCREENSHOTS.resolve(dialect + "-" + name + ".png")));
  }
}
