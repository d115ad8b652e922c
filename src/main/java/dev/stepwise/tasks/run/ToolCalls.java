package dev.stepwise.tasks.run;

import dev.stepwise.web.Json;
import java.util.Map;

/** A tool call in one line, as an activity entry shows it: the command, the path, or the arguments. */
final class ToolCalls {
  private static final int MAX = 2000;

  private ToolCalls() {}

  static String describe(String tool, Object arguments) {
    String text;
    if (arguments instanceof Map<?, ?> map && map.get("command") instanceof String command) text = command;
    else if (arguments instanceof Map<?, ?> map && map.get("path") instanceof String path) text = path;
    else if (arguments instanceof Map<?, ?> map && map.get("filePath") instanceof String path) text = path;
    else text = arguments == null ? "" : new String(Json.write(arguments), java.nio.charset.StandardCharsets.UTF_8);
    return text.length() <= MAX ? text : text.substring(0, MAX) + "…";
  }
}
