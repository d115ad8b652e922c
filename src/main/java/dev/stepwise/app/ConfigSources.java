package dev.stepwise.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each setting's text comes from: defaults, then the settings file, then environment
 * variables, then flags (later sources win). Remembers each value's origin, so that a bad value is
 * reported with where it came from. Not thread-safe: used once, at start.
 */
final class ConfigSources {
  /** A setting's text and where it came from ("default", "stepwise.yaml", "STEPWISE_PORT", "--port"). */
  record Source(String text, String origin) {}

  private final Map<String, Source> values = new LinkedHashMap<>();
  private final Map<String, Source> testCommands = new java.util.TreeMap<>();
  private JsonNode environments;
  private final List<String> problems;

  private ConfigSources(List<String> problems) {
    this.problems = problems;
  }

  /** Reads every source; problems reading the file are added to {@code problems}. */
  static ConfigSources read(Map<String, String> flags, Map<String, String> env, Path configFile, List<String> problems) {
    var sources = new ConfigSources(problems);
    Setting.all().forEach(s -> sources.values.put(s.key(), new Source(s.defaultValue(), "default")));
    sources.overlayEnv(env, Setting.DATA_DIR);
    sources.overlayFlag(flags, Setting.DATA_DIR);
    Path dataDir = Path.of(sources.get(Setting.DATA_DIR).text());
    Path file = configFile != null ? configFile : dataDir.resolve(ConfigLoader.FILE_NAME);
    if (configFile != null || Files.exists(file)) sources.readFile(file);
    for (Setting setting : Setting.all()) sources.overlayEnv(env, setting);
    for (Setting setting : Setting.all()) sources.overlayFlag(flags, setting);
    return sources;
  }

  Source get(Setting setting) {
    return values.get(setting.key());
  }

  /** The file's {@code environments:} section as written, or {@code null}. */
  JsonNode environments() {
    return environments;
  }

  /** The file's {@code testing.commands.<subsystem>} entries, by key. */
  Map<String, Source> testCommands() {
    return testCommands;
  }

  private void overlayEnv(Map<String, String> env, Setting setting) {
    String value = env.get(setting.env());
    if (value != null && !value.isEmpty()) values.put(setting.key(), new Source(value, setting.env()));
  }

  private void overlayFlag(Map<String, String> flags, Setting setting) {
    String value = flags.get(setting.key());
    if (value != null) values.put(setting.key(), new Source(value, "--" + setting.key().replace('_', '-')));
  }

  private void readFile(Path file) {
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
    } catch (IOException e) {
      problems.add("cannot read settings file " + file + ": "
          + (e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("")));
      return;
    }
    if (root == null || root.isMissingNode() || root.isNull()) return;
    if (!root.isObject()) {
      problems.add("settings file " + file + " must be a mapping of settings");
      return;
    }
    environments = ((com.fasterxml.jackson.databind.node.ObjectNode) root).remove("environments"); // a mapping of names, read by its own parser
    flatten("", root, file.getFileName().toString());
  }

  private void flatten(String prefix, JsonNode node, String origin) {
    node.fields().forEachRemaining(field -> {
      String key = prefix + field.getKey();
      JsonNode value = field.getValue();
      if (value.isObject()) {
        flatten(key + ".", value, origin);
      } else if (key.startsWith(Setting.TEST_COMMANDS_PREFIX) && Setting.byKey(key) == null) {
        testCommands.put(key, new Source(value.isNull() ? null : value.asText(), origin));
      } else if (Setting.byKey(key) == null) {
        problems.add("unknown setting '" + key + "' in " + origin + "; known settings: "
            + String.join(", ", Setting.all().stream().map(Setting::key).toList()));
      } else if (value.isArray()) {
        var items = new java.util.ArrayList<String>();
        value.forEach(item -> items.add(item.asText()));
        values.put(key, new Source(String.join(",", items), origin));
      } else if (!value.isNull()) {
        values.put(key, new Source(value.asText(), origin));
      }
    });
  }
}
