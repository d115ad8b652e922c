package dev.stepwise.runners;

import dev.stepwise.plans.StepSpec;
import dev.stepwise.web.ErrorText;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs http steps: one request; success is a 2xx (or one of {@code expect_status}). The status line
 * and the start of the body become the step's output. Thread-safe.
 */
public final class HttpRunner implements StepRunner {
  private static final int BODY_LINES = 200;
  private final HttpClient client = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NORMAL).build();

  @Override
  public StepOutcome run(StepRun run, OutputSink output) throws InterruptedException {
    StepSpec.HttpSpec http = run.spec().http();
    var request = HttpRequest.newBuilder(URI.create(http.url())).timeout(run.timeout());
    http.headers().forEach(request::header);
    request.method(http.method(), http.body() == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(http.body()));
    CompletableFuture<HttpResponse<String>> future = client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    run.cancel().onCancel(() -> future.cancel(true));
    try {
      HttpResponse<String> response = future.get(run.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
      output.line("HTTP " + response.statusCode() + " " + http.method() + " " + http.url());
      response.body().lines().limit(BODY_LINES).forEach(output::line);
      boolean ok = http.expectStatus().isEmpty() ? response.statusCode() / 100 == 2
          : http.expectStatus().contains(response.statusCode());
      return ok ? new StepOutcome.Succeeded(response.statusCode())
          : new StepOutcome.Failed(response.statusCode(), "unexpected HTTP status " + response.statusCode());
    } catch (java.util.concurrent.CancellationException e) {
      return new StepOutcome.Cancelled();
    } catch (TimeoutException e) {
      future.cancel(true);
      return new StepOutcome.TimedOut(run.timeout());
    } catch (ExecutionException e) {
      if (e.getCause() instanceof HttpTimeoutException) return new StepOutcome.TimedOut(run.timeout());
      if (run.cancel().cancelled()) return new StepOutcome.Cancelled();
      return new StepOutcome.Failed(null, "request failed: " + ErrorText.describe(e.getCause()));
    }
  }
}
