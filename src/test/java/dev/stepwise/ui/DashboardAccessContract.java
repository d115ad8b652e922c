package dev.stepwise.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stepwise.auth.Role;
import dev.stepwise.testing.ServerContract;
import dev.stepwise.web.Access;
import dev.stepwise.web.Api;
import dev.stepwise.web.BrowserSession;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every dashboard page and form, walked from the server's own table: without a session the
 * browser is sent to sign in; a role without the page's permission gets a 403 page; a form without
 * its CSRF token is refused. A new page is covered the moment it is registered.
 */
public abstract class DashboardAccessContract extends ServerContract {
  private static final String MISSING_ID = "999999";
  private final HttpClient http = HttpClient.newHttpClient(); // follows no redirect

  @TestFactory
  Stream<DynamicTest> every_page_and_form_enforces_its_access_rule() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Api.Route route : server.app().http().pages()) {
      if (route.access() instanceof Access.Public) continue;
      String path = route.path().replaceAll("\\{[^}]+}", MISSING_ID);
      String name = route.method() + " " + route.path();
      tests.add(DynamicTest.dynamicTest(name + " without a session", () -> {
        HttpResponse<String> response = send(route.method(), path, null, true);
        assertThat(response.statusCode()).isEqualTo(303);
        assertThat(response.headers().firstValue("Location").orElseThrow()).startsWith("/login");
      }));
      for (Role role : Role.values()) {
        tests.add(DynamicTest.dynamicTest(name + " as " + role.wireName(), () -> {
          HttpResponse<String> response = send(route.method(), path, server.tokenFor(role), true);
          if (route.access() instanceof Access.Page page && page.permission() != null && !role.allows(page.permission())) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
            assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
            assertThat(response.body()).contains(page.permission().wireName());
          } else {
            assertThat(response.statusCode()).as(response.body()).isNotIn(401, 403).isLessThan(500);
          }
        }));
      }
      if (!route.method().equals("GET")) {
        tests.add(DynamicTest.dynamicTest(name + " without its CSRF token", () -> {
          HttpResponse<String> response = send(route.method(), path, server.adminToken(), false);
          assertThat(response.statusCode()).isEqualTo(403);
          assertThat(response.body()).contains("did not come from this site");
        }));
      }
    }
    return tests.stream();
  }

  @Test
  void a_login_over_tls_sets_a_secure_cookie_and_a_plain_one_does_not() throws Exception {
    for (boolean tls : List.of(true, false)) {
      var form = HttpRequest.newBuilder(URI.create(client.baseUrl() + "/login"));
      HttpResponse<String> loginPage = http.send(form.GET().build(), HttpResponse.BodyHandlers.ofString());
      String preSession = loginPage.headers().allValues("Set-Cookie").getFirst().split(";")[0];
      String csrf = preSession.substring(preSession.indexOf('=') + 1);
      var login = HttpRequest.newBuilder(URI.create(client.baseUrl() + "/login"))
          .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", preSession)
          .POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf + "&username=admin&password="
              + dev.stepwise.testing.TestServer.ADMIN_PASSWORD + "&next=%2Fexecutions"));
      if (tls) login.header("X-Forwarded-Proto", "https");
      HttpResponse<String> response = http.send(login.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(303);
      assertThat(response.headers().firstValue("Location")).contains("/executions");
      String session = response.headers().allValues("Set-Cookie").stream()
          .filter(cookie -> cookie.startsWith(BrowserSession.COOKIE + "=")).findFirst().orElseThrow();
      assertThat(session).contains("HttpOnly", "SameSite=Strict", "Max-Age=");
      assertThat(session.contains("Secure")).isEqualTo(tls);
    }
  }

  @Test
  void a_login_form_without_its_token_or_leading_elsewhere_is_refused_or_kept_home() throws Exception {
    var request = HttpRequest.newBuilder(URI.create(client.baseUrl() + "/login"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString("username=admin&password="
            + dev.stepwise.testing.TestServer.ADMIN_PASSWORD)).build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith(BrowserSession.COOKIE + "=ey"));
    assertThat(Forms.safeNext("https://evil.example/")).isEqualTo("/");
    assertThat(Forms.safeNext("//evil.example/")).isEqualTo("/");
    assertThat(Forms.safeNext("/\\evil.example/")).isEqualTo("/");
    assertThat(Forms.safeNext("/executions?status=failed")).isEqualTo("/executions?status=failed");
  }

  @Test
  void a_browser_asking_for_an_unknown_page_gets_a_page_and_an_api_client_an_envelope() throws Exception {
    var page = http.send(HttpRequest.newBuilder(URI.create(client.baseUrl() + "/no-such-page"))
        .header("Accept", "text/html").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(404);
    assertThat(page.body()).contains("<html", "There is no page at /no-such-page.");
    assertThat(client.get("/no-such-page", null).errorCode()).isEqualTo("NOT_FOUND");
  }

  @Test
  void the_event_stream_takes_the_session_cookie_from_this_sites_pages_only() throws Exception {
    String cookie = BrowserSession.COOKIE + "=" + server.adminToken();
    String own = client.baseUrl();
    assertThat(streamStatus(Map.of("Cookie", cookie))).isEqualTo(200);
    assertThat(streamStatus(Map.of("Cookie", cookie, "Origin", own))).isEqualTo(200);
    assertThat(streamStatus(Map.of("Cookie", cookie, "Origin", "https://evil.example"))).isEqualTo(401);
    assertThat(streamStatus(Map.of())).isEqualTo(401);
  }

  private int streamStatus(Map<String, String> headers) throws Exception {
    var request = HttpRequest.newBuilder(URI.create(client.baseUrl() + "/api/v1/events/stream?topics=approvals"));
    headers.forEach(request::header);
    HttpResponse<java.io.InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    response.body().close();
    return response.statusCode();
  }

  @Test
  void pages_forbid_framing_and_foreign_scripts() throws Exception {
    HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(client.baseUrl() + "/login")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(login.headers().firstValue("Content-Security-Policy").orElseThrow())
        .contains("script-src 'self'", "frame-ancestors 'none'");
  }

  private HttpResponse<String> send(String method, String path, String token, boolean withCsrf) throws Exception {
    Map<String, String> headers = new HashMap<>();
    if (token != null) headers.put("Cookie", BrowserSession.COOKIE + "=" + token);
    if (token != null && withCsrf) headers.put(BrowserSession.CSRF_HEADER, BrowserSession.csrfToken(token));
    var request = HttpRequest.newBuilder(URI.create(client.baseUrl() + path));
    headers.forEach(request::header);
    if (method.equals("GET")) {
      request.GET();
    } else {
      request.header("Content-Type", "application/x-www-form-urlencoded")
          .method(method, HttpRequest.BodyPublishers.ofString("comment=walked"));
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
