package dev.stepwise.ui;

import dev.stepwise.web.Access;
import dev.stepwise.web.Api;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves the dashboard's scripts and styles from the jar: Stepwise's own under {@code /assets/}
 * and the webjars it uses (htmx, its SSE extension, uPlot) under fixed names, so that nothing
 * comes from a CDN and no Node build is needed. Each is read once and cached by the browser
 * (revalidated by ETag). Thread-safe.
 */
public final class Assets {
  /** The public name of each asset and where it lies on the class path. */
  static final Map<String, String> FILES = Map.of(
      "htmx.min.js", "META-INF/resources/webjars/htmx.org/" + Versions.HTMX + "/dist/htmx.min.js",
      "sse.js", "META-INF/resources/webjars/htmx-ext-sse/" + Versions.HTMX_SSE + "/sse.js",
      "uPlot.iife.min.js", "META-INF/resources/webjars/uplot/" + Versions.UPLOT + "/dist/uPlot.iife.min.js",
      "uPlot.min.css", "META-INF/resources/webjars/uplot/" + Versions.UPLOT + "/dist/uPlot.min.css",
      "stepwise.js", "ui/stepwise.js",
      "stepwise.css", "ui/stepwise.css");

  private record Asset(byte[] bytes, String etag, String contentType) {}

  private final Map<String, Asset> loaded = new ConcurrentHashMap<>();

  public void register(Api api) {
    api.page(HandlerType.GET, "/assets/{name}", Access.PUBLIC, "The dashboard's scripts and styles", this::serve);
  }

  private void serve(Context ctx) {
    String name = ctx.pathParam("name");
    String path = FILES.get(name);
    if (path == null) {
      ctx.status(404).contentType("text/plain").result("no such asset");
      return;
    }
    Asset asset = loaded.computeIfAbsent(name, n -> load(n, path));
    ctx.header("ETag", asset.etag()).header("Cache-Control", "public, max-age=3600, must-revalidate");
    if (asset.etag().equals(ctx.header("If-None-Match"))) {
      ctx.status(304);
      return;
    }
    ctx.contentType(asset.contentType()).result(asset.bytes());
  }

  /** The size in bytes of an asset, for the benchmark of what a first visit loads. */
  public int size(String name) {
    return loaded.computeIfAbsent(name, n -> load(n, FILES.get(n))).bytes().length;
  }

  private static Asset load(String name, String path) {
    try (InputStream in = Assets.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) throw new IllegalStateException("the asset " + path + " is missing from the jar");
      byte[] bytes = in.readAllBytes();
      String etag = "\"" + Integer.toHexString(Arrays.hashCode(bytes)) + "-" + bytes.length + "\"";
      String type = name.endsWith(".css") ? "text/css; charset=utf-8" : "text/javascript; charset=utf-8";
      return new Asset(bytes, etag, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
