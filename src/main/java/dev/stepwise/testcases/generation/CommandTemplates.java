package dev.stepwise.testcases.generation;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configured test command templates ({@code testing.commands}): one per subsystem, and
 * {@code default}. Placeholders are filled with shell-quoted values, so that no field of a request
 * can add shell syntax to the command. Immutable.
 */
public final class CommandTemplates {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{(source_root|test_name|function_name|file_path|subsystem)}");
  private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9._/+:=@%,-]+");

  private final Map<String, String> templates;
  private final Path sourceRoot;

  public CommandTemplates(Map<String, String> templates, Path sourceRoot) {
    this.templates = Map.copyOf(templates);
    this.sourceRoot = sourceRoot;
  }

  /** The values a command is made from. */
  public record Fields(String testName, String functionName, String filePath, String subsystem) {}

  /** The command for a test case, or empty when no template applies. */
  public Optional<String> commandFor(Fields fields) {
    String template = fields.subsystem() != null && templates.containsKey(fields.subsystem())
        ? templates.get(fields.subsystem()) : templates.get("default");
    if (template == null) return Optional.empty();
    Map<String, String> values = new LinkedHashMap<>();
    values.put("source_root", sourceRoot == null ? "." : sourceRoot.toString());
    values.put("test_name", fields.testName());
    values.put("function_name", fields.functionName());
    values.put("file_path", fields.filePath());
    values.put("subsystem", fields.subsystem());
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (m.find()) m.appendReplacement(out, Matcher.quoteReplacement(quote(values.get(m.group(1)))));
    m.appendTail(out);
    return Optional.of(out.toString());
  }

  /** Why a case of {@code subsystem} gets no command: the settings that would give it one. */
  public static String missingReason(String subsystem) {
    String specific = subsystem == null ? "" : "testing.commands." + subsystem + " or ";
    return "no test command is configured" + (subsystem == null ? "" : " for subsystem '" + subsystem + "'")
        + ": set " + specific + "testing.commands.default in stepwise.yaml (or STEPWISE_TESTING_COMMAND)";
  }

  static String quote(String value) {
    if (value == null || value.isEmpty()) return "''";
    if (SHELL_SAFE.matcher(value).matches()) return value;
    return "'" + value.replace("'", "'\\''") + "'";
  }
}
