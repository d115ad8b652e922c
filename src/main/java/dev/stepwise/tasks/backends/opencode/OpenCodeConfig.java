package dev.stepwise.tasks.backends.opencode;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.stepwise.app.Config;
import dev.stepwise.web.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How this server runs OpenCode: its configuration (the model from Stepwise's {@code model.*}
 * settings as an OpenAI-compatible provider, every permission asked, nothing fetched or shared, no
 * snapshots of its own: the work is kept and reviewed in the task's worktree with git) and
 * its environment (state under the data dir, offline switches, no configuration of the repository's
 * own, none of Stepwise's own variables).
 * Thread-safe (immutable).
 */
final class OpenCodeConfig {
  /** The provider and model names OpenCode knows Stepwise's model by. */
  static final String PROVIDER = "stepwise";
  static final String KEY_VARIABLE = "OPENCODE_STEPWISE_MODEL_KEY";
  /** The package OpenCode installs into its configuration directory for the plugins kept there. */
  static final String PLUGIN_PACKAGE = "@opencode-ai/plugin";
  /** What the child may keep of this server's environment: nothing secret. */
  private static final java.util.List<String> PASSED = java.util.List.of("PATH", "LANG", "LC_ALL", "TZ", "TMPDIR");

  private final Config.Model model;
  private final Path home;

  /** @param home where OpenCode keeps its state ({@code <data-dir>/opencode}) */
  OpenCodeConfig(Config.Model model, Path home) {
    this.model = model;
    this.home = home;
  }

  Path home() {
    return home;
  }

  /** Why OpenCode cannot use the server's model, or {@code null} when it can. */
  String modelProblem() {
    if (!model.configured()) {
      return "OpenCode needs a model: set model.provider (openai), model.base_url and model.name (or "
          + "STEPWISE_MODEL_PROVIDER, STEPWISE_MODEL_BASE_URL and STEPWISE_MODEL_NAME)";
    }
    if (!model.provider().equals("openai") && !model.provider().equals("ollama")) {
      return "OpenCode talks to an OpenAI-compatible model here, and model.provider is " + model.provider()
          + ": use openai (any OpenAI-compatible base_url) or ollama, or give the task the native agent";
    }
    if (model.name() == null || model.name().isBlank()) return "OpenCode needs model.name";
    return null;
  }

  String modelId() {
    return model.name();
  }

  /** The configuration, as {@code OPENCODE_CONFIG_CONTENT}: no secret in it. */
  String content() {
    ObjectNode config = Json.mapper().createObjectNode();
    config.put("$schema", "https://opencode.ai/config.json").put("autoupdate", false).put("share", "disabled")
        .put("lsp", false).put("snapshot", false).put("model", PROVIDER + "/" + model.name());
    ObjectNode provider = config.putObject("provider").putObject(PROVIDER);
    provider.put("npm", "@ai-sdk/openai-compatible").put("name", "Stepwise");
    provider.putObject("options").put("baseURL", baseUrl()).put("apiKey", "{env:" + KEY_VARIABLE + "}");
    provider.putObject("models").putObject(model.name()).put("name", model.name());
    ObjectNode permission = config.putObject("permission");
    // every edit and command is asked, and Stepwise answers by the task's policy; nothing leaves the machine
    permission.put("edit", "ask").put("bash", "ask").put("webfetch", "deny").put("websearch", "deny")
        .put("question", "deny").put("external_directory", "deny");
    return config.toString();
  }

  /** The child's whole environment. */
  Map<String, String> environment(String password) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String name : PASSED) {
      String value = System.getenv(name);
      if (value != null) env.put(name, value);
    }
    env.put("HOME", home.resolve("home").toString());
    env.put("XDG_DATA_HOME", home.resolve("data").toString());
    env.put("XDG_CONFIG_HOME", home.resolve("config").toString());
    env.put("XDG_STATE_HOME", home.resolve("state").toString());
    env.put("XDG_CACHE_HOME", home.resolve("cache").toString());
    env.put("OPENCODE_CONFIG_CONTENT", content());
    env.put("OPENCODE_DISABLE_MODELS_FETCH", "1");
    env.put("OPENCODE_DISABLE_AUTOUPDATE", "1");
    env.put("OPENCODE_DISABLE_LSP_DOWNLOAD", "1");
    // a repository's own OpenCode configuration (opencode.json, .opencode/) could start MCP servers,
    // plugins and tools outside the task's approval policy; what the repository asks of agents
    // (AGENTS.md) reaches OpenCode in the phase's prompt instead
    env.put("OPENCODE_DISABLE_PROJECT_CONFIG", "1");
    env.put("OPENCODE_SERVER_PASSWORD", password);
    env.put(KEY_VARIABLE, model.apiKey() == null || model.apiKey().isBlank() ? "none" : model.apiKey());
    return env;
  }

  /**
   * Names OpenCode's plugin package as settled in OpenCode's configuration directory. OpenCode
   * otherwise installs it there from the npm registry, in the background, whenever it opens a
   * directory; Stepwise runs OpenCode with no plugin and fetches nothing at run time. OpenCode
   * leaves alone a package its {@code package.json} names, its {@code package-lock.json} locks and
   * whose {@code node_modules} exists. (npm offline would stop the fetch too, but OpenCode hands
   * its environment to the agent's commands, whose own npm installs would then fail.)
   */
  void settlePluginPackage(String version) throws IOException {
    Path dir = home.resolve("config").resolve("opencode");
    Files.createDirectories(dir.resolve("node_modules"));
    ObjectNode dependencies = Json.mapper().createObjectNode().put(PLUGIN_PACKAGE, version);
    ObjectNode manifest = Json.mapper().createObjectNode().put("private", true)
        .put("description", "Written by Stepwise, which runs OpenCode without plugins: nothing to install");
    manifest.set("dependencies", dependencies);
    ObjectNode lock = Json.mapper().createObjectNode().put("lockfileVersion", 3).put("requires", true);
    lock.putObject("packages").putObject("").set("dependencies", dependencies.deepCopy());
    Files.writeString(dir.resolve("package.json"), manifest.toPrettyString() + "\n");
    Files.writeString(dir.resolve("package-lock.json"), lock.toPrettyString() + "\n");
  }

  private String baseUrl() {
    if (model.provider().equals("ollama")) {
      String base = model.baseUrl() == null ? "http://127.0.0.1:11434" : model.baseUrl().replaceAll("/+$", "");
      return base.endsWith("/v1") ? base : base + "/v1";
    }
    return model.baseUrl() == null ? "https://api.openai.com/v1" : model.baseUrl();
  }
}
