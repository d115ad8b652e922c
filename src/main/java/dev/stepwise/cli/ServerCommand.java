package dev.stepwise.cli;

import dev.stepwise.app.App;
import dev.stepwise.app.Config;
import java.time.Clock;
import java.util.HashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs the server until SIGTERM or Ctrl-C, then shuts down gracefully. */
@Command(name = "server", mixinStandardHelpOptions = true, description = "Serve the API on HTTP.")
public final class ServerCommand implements Callable<Integer> {
  @Mixin SettingsOptions settings;

  @Option(names = "--host", paramLabel = "ADDRESS", description = "Address to bind (default 127.0.0.1).")
  String host;

  @Option(names = "--port", paramLabel = "PORT", description = "Port to listen on (default 8000; 0 picks a free one).")
  String port;

  @Override
  public Integer call() {
    var flags = new HashMap<String, String>();
    if (host != null) flags.put("host", host);
    if (port != null) flags.put("port", port);
    Config[] config = new Config[1];
    App[] started = new App[1];
    int failed = Console.run(() -> {
      config[0] = settings.load(flags);
      started[0] = App.start(config[0], Clock.systemUTC(), System.out);
      return 0;
    });
    if (failed != 0) return failed;
    App app = started[0];
    markClassArchiveUsable();
    var stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("Stepwise is shutting down…");
      app.close();
      stopped.countDown();
    }, "shutdown"));
    System.out.println("Stepwise is ready on http://" + displayHost(config[0].server().host()) + ":" + app.port()
        + "  (data: " + config[0].dataDir().toAbsolutePath().normalize() + ")");
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /** Tells the launcher that this run started fully, so the class-data archive it writes is worth keeping. */
  private static void markClassArchiveUsable() {
    String marker = System.getProperty("stepwise.cds.ready");
    if (marker == null) return;
    try {
      java.nio.file.Files.writeString(java.nio.file.Path.of(marker), "");
    } catch (java.io.IOException ignored) {
      // only a start-up speed-up is lost
    }
  }

  private static String displayHost(String host) {
    return host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
  }
}
