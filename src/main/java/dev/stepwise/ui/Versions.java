package dev.stepwise.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The versions of the webjars the dashboard serves, as the build recorded them. */
final class Versions {
  private static final Properties VERSIONS = read();
  static final String HTMX = VERSIONS.getProperty("htmx");
  static final String HTMX_SSE = VERSIONS.getProperty("htmx-sse");
  static final String UPLOT = VERSIONS.getProperty("uplot");

  private Versions() {}

  private static Properties read() {
    try (InputStream in = Versions.class.getResourceAsStream("/dev/stepwise/ui/webjars.properties")) {
      if (in == null) throw new IllegalStateException("the build did not record the dashboard's webjar versions");
      var properties = new Properties();
      properties.load(in);
      return properties;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
