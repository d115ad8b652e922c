package dev.stepwise.agents.tools;

import dev.stepwise.plans.Durations;
import dev.stepwise.web.ErrorText;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code http_get} tool: fetches an http or https URL. Addresses on this machine or its
 * networks (loopback, link-local, private, unique-local, carrier-grade NAT, multicast, the
 * unspecified address) are refused unless their host is on {@code tools.http_allow}, so that a
 * model cannot reach the server's own API, a cloud metadata service or the office network.
 * Redirects are followed by hand, each target checked the same way. Bodies are kept up to
 * {@link #MAX_BODY}. Thread-safe.
 */
final class HttpGetTool {
  static final int MAX_BODY = 256 * 1024;
  private static final int MAX_REDIRECTS = 5;
  private static final Duration MAX_TIME = Duration.ofSeconds(30);

  private final Set<String> allowedHosts;

  HttpGetTool(Set<String> allowedHosts) {
    this.allowedHosts = Set.copyOf(allowedHosts);
  }

  /**
   * Fetches on a client of its own, which is shut down when the time is up or the run is
   * cancelled: that aborts a slow answer even in the middle of its body.
   */
  ToolResult fetch(String url, ToolContext context) throws InterruptedException {
    Duration limit = context.timeout().compareTo(MAX_TIME) < 0 ? context.timeout() : MAX_TIME;
    HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(10)).build();
    Runnable abort = client::shutdownNow;
    context.cancel().onCancel(abort);
    var result = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return fetch(client, url, context);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return ToolResult.refused("interrupted");
      }
    }, task -> Thread.ofVirtual().name("http-get").start(task));
    try {
      return result.get(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      return ToolResult.refused("the fetch took longer than " + Durations.format(limit) + " and was stopped");
    } catch (java.util.concurrent.ExecutionException e) {
      return ToolResult.refused("the fetch failed: " + ErrorText.describe(e.getCause()));
    } finally {
      client.shutdownNow();
      context.cancel().remove(abort);
      if (context.cancel().cancelled() && !result.isDone()) result.cancel(true);
    }
  }

  private ToolResult fetch(HttpClient client, String url, ToolContext context) throws InterruptedException {
    URI uri;
    try {
      uri = URI.create(url.trim());
    } catch (IllegalArgumentException e) {
      return ToolResult.refused("'" + url + "' is not a valid URL");
    }
    Duration timeout = context.timeout().compareTo(MAX_TIME) < 0 ? context.timeout() : MAX_TIME;
    for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
      String refusal = refusal(uri);
      if (refusal != null) return ToolResult.refused(refusal);
      context.log().line("GET " + uri);
      HttpResponse<InputStream> response;
      try {
        response = client.send(HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "text/*, application/json")
            .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
      } catch (IOException e) {
        return ToolResult.refused("the request to " + uri.getHost() + " failed: " + ErrorText.describe(e));
      }
      int status = response.statusCode();
      if (status >= 300 && status < 400 && response.headers().firstValue("location").isPresent()) {
        try (InputStream ignored = response.body()) {
          uri = uri.resolve(response.headers().firstValue("location").get());
        } catch (IOException | IllegalArgumentException e) {
          return ToolResult.refused("a redirect from " + uri + " could not be followed");
        }
        continue;
      }
      try (InputStream body = response.body()) {
        byte[] bytes = body.readNBytes(MAX_BODY + 1);
        boolean cut = bytes.length > MAX_BODY;
        String text = new String(bytes, 0, Math.min(bytes.length, MAX_BODY), StandardCharsets.UTF_8);
        if (cut) text = context.secrets().maskCut(text); // a secret cut in two shows nothing of itself
        context.log().line("HTTP " + status + ", " + Math.min(bytes.length, MAX_BODY) + " bytes" + (cut ? " (cut)" : ""));
        return new ToolResult("HTTP " + status + "\n" + text + (cut ? "\n[body cut at " + MAX_BODY / 1024 + " KB]" : ""),
            null, false);
      } catch (IOException e) {
        return ToolResult.refused("reading the answer of " + uri.getHost() + " failed: " + ErrorText.describe(e));
      }
    }
    return ToolResult.refused("more than " + MAX_REDIRECTS + " redirects");
  }

  /** Why {@code uri} may not be fetched, or {@code null} when it may. */
  String refusal(URI uri) {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) return "only http and https URLs can be fetched";
    if (uri.getHost() == null) return "the URL names no host";
    if (uri.getUserInfo() != null) return "URLs with credentials are not fetched";
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    if (allowedHosts.contains(host) || allowedHosts.contains(bare)) return null;
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(bare);
    } catch (UnknownHostException e) {
      return "the host " + bare + " does not resolve";
    }
    for (InetAddress address : addresses) {
      if (internal(address)) {
        return bare + " is " + address.getHostAddress() + ", an address of this machine or a private network; "
            + "add the host to tools.http_allow to allow it";
      }
    }
    return null;
  }

  static boolean internal(InetAddress address) {
    if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
        || address.isAnyLocalAddress() || address.isMulticastAddress()) {
      return true;
    }
    byte[] raw = address.getAddress();
    if (raw.length == 4) {
      int first = raw[0] & 0xff;
      int second = raw[1] & 0xff;
      return first == 0 || (first == 100 && second >= 64 && second < 128) || (first == 169 && second == 254)
          || (first == 192 && second == 0 && (raw[2] & 0xff) == 0) || first >= 240;
    }
    // IPv6 unique-local fc00::/7, and IPv4-mapped addresses checked as IPv4
    if ((raw[0] & 0xfe) == 0xfc) return true;
    boolean mapped = true;
    for (int i = 0; i < 10; i++) mapped &= raw[i] == 0;
    if (mapped && (raw[10] & 0xff) == 0xff && (raw[11] & 0xff) == 0xff) {
      try {
        return internal(InetAddress.getByAddress(java.util.Arrays.copyOfRange(raw, 12, 16)));
      } catch (UnknownHostException e) {
        return true;
      }
    }
    return false;
  }
}
