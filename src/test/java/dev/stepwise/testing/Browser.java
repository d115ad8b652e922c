package dev.stepwise.testing;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A real headless Chromium (the system's, never a downloaded one) driven by Playwright, for the
 * dashboard's tests. One per test class; each test opens its own context (cookies, storage).
 */
public final class Browser implements AutoCloseable {
  /** Where the system's Chromium is looked for, in order; {@code STEPWISE_CHROMIUM} overrides. */
  private static final List<String> CHROMIUM = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
      "/usr/bin/google-chrome");

  private final Playwright playwright;
  private final com.microsoft.playwright.Browser browser;

  public Browser() {
    playwright = Playwright.create(new Playwright.CreateOptions()
        .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
        .setExecutablePath(chromium()).setHeadless(true)
        .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage")));
  }

  private static Path chromium() {
    String configured = System.getenv("STEPWISE_CHROMIUM");
    if (configured != null && !configured.isBlank()) return Path.of(configured);
    return CHROMIUM.stream().map(Path::of).filter(Files::isExecutable).findFirst().orElseThrow(() ->
        new IllegalStateException("no Chromium found at " + CHROMIUM + "; install Debian's chromium package "
            + "(bash .ci/run does) or set STEPWISE_CHROMIUM"));
  }

  /** A fresh browser profile: no cookies. */
  public BrowserContext newContext(String baseUrl) {
    return browser.newContext(new com.microsoft.playwright.Browser.NewContextOptions()
        .setBaseURL(baseUrl).setViewportSize(1280, 860));
  }

  /** Signs in through the form as {@code username}; returns the page, on the overview. */
  public static Page signIn(BrowserContext context, String username, String password) {
    Page page = context.newPage();
    page.navigate("/login");
    page.getByLabel("Username").fill(username);
    page.getByLabel("Password").fill(password);
    page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
        new Page.GetByRoleOptions().setName("Sign in")).click();
    page.waitForURL(url -> !url.contains("/login"));
    return page;
  }

  @Override
  public void close() {
    browser.close();
    playwright.close();
  }
}
