package dev.stepwise.cli;

import dev.stepwise.app.Config;
import dev.stepwise.app.ConfigLoader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The flags every command shares for finding its settings and data. */
public final class SettingsOptions {
  @Option(names = "--data-dir", paramLabel = "DIR", description = "Where data lives (default ./data).")
  String dataDir;

  @Option(names = "--config", paramLabel = "FILE", description = "Settings file (default <data-dir>/stepwise.yaml).")
  Path configFile;

  /** The settings file these flags point at: {@code --config}, else {@code <data-dir>/stepwise.yaml}. */
  Path settingsFile() {
    if (configFile != null) return configFile;
    String dir = dataDir != null ? dataDir : System.getenv().getOrDefault("STEPWISE_DATA_DIR", "./data");
    return Path.of(dir).resolve(ConfigLoader.FILE_NAME);
  }

  /** Loads the settings with these flags on top of the environment and the file. */
  Config load(Map<String, String> moreFlags) {
    var flags = new HashMap<>(moreFlags);
    if (dataDir != null) flags.put("data_dir", dataDir);
    return ConfigLoader.load(flags, System.getenv(), configFile);
  }
}
