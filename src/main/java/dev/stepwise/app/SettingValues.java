package dev.stepwise.app;

import dev.stepwise.plans.Durations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How the text of each kind of setting is read and checked. Each parser returns the value or
 * throws {@link IllegalArgumentException} with what the value must be, in words. Thread-safe.
 */
final class SettingValues {
  private static final Pattern SAFE_COMMAND = Pattern.compile("[A-Za-z0-9._/-]+( [A-Za-z0-9._/=-]+)*");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:-]{1,253}");
  private static final Pattern ORIGIN = Pattern.compile("https?://[A-Za-z0-9.\\-\\[\\]:]+");
  /** The placeholders a test command template may use. */
  static final List<String> PLACEHOLDERS = List.of("source_root", "test_name", "function_name", "file_path", "subsystem");

  private SettingValues() {}

  static int intIn(String text, int min, int max) {
    try {
      int value = Integer.parseInt(text.trim());
      if (value >= min && value <= max) return value;
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException("must be a whole number from " + min + " to " + max);
  }

  static Duration duration(String text) {
    return Durations.parse(text);
  }

  static Duration durationIn(String text, Duration min, Duration max) {
    Duration value = Durations.parse(text);
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException("must be between " + Durations.format(min) + " and " + Durations.format(max));
    }
    return value;
  }

  static boolean bool(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1", "on" -> true;
      case "false", "no", "0", "off" -> false;
      default -> throw new IllegalArgumentException("must be true or false");
    };
  }

  /** A size from 1KB to 256MB: 1048576, 512KB or 1MB. */
  static long bytes(String text) {
    var matcher = Pattern.compile("(\\d{1,12})\\s*(|b|kb|kib|mb|mib)").matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!matcher.matches()) throw new IllegalArgumentException("must be a size such as 1048576, 512KB or 1MB");
    long value = Long.parseLong(matcher.group(1));
    long size = switch (matcher.group(2)) {
      case "kb", "kib" -> value * 1024;
      case "mb", "mib" -> value * 1024 * 1024;
      default -> value;
    };
    if (size < 1024 || size > 256L * 1024 * 1024) throw new IllegalArgumentException("must be between 1KB and 256MB");
    return size;
  }

  static List<String> labels(String text) {
    List<String> labels = java.util.Arrays.stream(text.split(",")).map(String::trim).filter(l -> !l.isEmpty()).toList();
    if (labels.isEmpty() || labels.stream().anyMatch(l -> !l.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}"))) {
      throw new IllegalArgumentException("must be a comma-separated list of labels such as local,linux");
    }
    return labels;
  }

  static String nodeId(String text) {
    if (!text.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
      throw new IllegalArgumentException("must be 1 to 64 letters, digits, '.', '_' or '-'");
    }
    return text;
  }

  static String databaseUrl(String text) {
    if (text.startsWith("jdbc:postgresql:") || text.startsWith("jdbc:sqlite:")) return text;
    throw new IllegalArgumentException("must be a jdbc:postgresql://host:port/db?user=... or jdbc:sqlite:FILE URL");
  }

  static String adminPassword(String text) {
    if (text.length() < 8) throw new IllegalArgumentException("must be at least 8 characters");
    return text;
  }

  /** Base64 of at least 32 random bytes: a signing or encryption key. */
  static String key(String text) {
    try {
      if (Base64.getDecoder().decode(text.trim()).length >= 32) return text.trim();
    } catch (IllegalArgumentException ignored) {
      // reported below
    }
    throw new IllegalArgumentException("must be base64 of at least 32 random bytes (e.g. `openssl rand -base64 32`)");
  }

  static Path sourceRoot(String text) {
    Path path = Path.of(text.trim()).toAbsolutePath().normalize();
    if (!Files.isDirectory(path)) throw new IllegalArgumentException("must be an existing directory");
    return path;
  }

  /** A comma-separated list of existing directories (a YAML list in the file). */
  static List<Path> directories(String text) {
    List<Path> directories = new ArrayList<>();
    for (String part : text.split(",")) {
      if (part.isBlank()) continue;
      Path path = Path.of(part.trim());
      if (!path.isAbsolute()) throw new IllegalArgumentException("must list absolute paths; '" + part.trim() + "' is not");
      if (!Files.isDirectory(path)) throw new IllegalArgumentException("lists '" + part.trim() + "', which is not a directory");
      directories.add(path.normalize());
    }
    if (directories.isEmpty()) throw new IllegalArgumentException("must list at least one directory");
    return directories;
  }

  static String taskAgent(String text) {
    String agent = text.trim();
    if (!agent.equals("opencode") && !agent.equals("native")) throw new IllegalArgumentException("must be opencode or native");
    return agent;
  }

  /** A program: a path, or a name looked up on the PATH when it is run. */
  static String command(String text) {
    String command = text.trim();
    if (command.isEmpty() || command.chars().anyMatch(c -> c < 0x20)) throw new IllegalArgumentException("must name a program");
    return command;
  }

  static String template(String text) {
    if (text.isBlank()) throw new IllegalArgumentException("must not be empty");
    var matcher = Pattern.compile("\\{([^{}]*)}").matcher(text);
    while (matcher.find()) {
      if (!PLACEHOLDERS.contains(matcher.group(1))) {
        throw new IllegalArgumentException("unknown placeholder {" + matcher.group(1) + "}; known: "
            + String.join(", ", PLACEHOLDERS.stream().map(p -> "{" + p + "}").toList()));
      }
    }
    return text;
  }

  /** Browser origins such as https://ops.example.com; {@code *} only when {@code wildcard} is allowed. */
  static Set<String> origins(String text, boolean wildcard) {
    Set<String> origins = new LinkedHashSet<>();
    for (String origin : text.split(",")) {
      String trimmed = origin.trim().replaceAll("/+$", "").toLowerCase(Locale.ROOT);
      if (trimmed.isEmpty()) continue;
      if (wildcard && trimmed.equals("*")) {
        origins.add(trimmed);
        continue;
      }
      if (!ORIGIN.matcher(trimmed).matches()) {
        throw new IllegalArgumentException("must be a comma-separated list of origins such as https://ops.example.com"
            + (wildcard ? ", or *" : ""));
      }
      origins.add(trimmed);
    }
    if (origins.contains("*") && origins.size() > 1) throw new IllegalArgumentException("* stands alone: it allows every origin");
    return origins;
  }

  static List<String> safeCommands(String text) {
    List<String> commands = new ArrayList<>();
    for (String part : text.split(",")) {
      String command = part.trim().replaceAll(" +", " ");
      if (command.isEmpty()) continue;
      if (!SAFE_COMMAND.matcher(command).matches()) {
        throw new IllegalArgumentException("'" + command + "' is not a plain command: use words such as 'git status', no shell syntax");
      }
      commands.add(command);
    }
    return commands;
  }

  static List<String> hosts(String text) {
    List<String> hosts = new ArrayList<>();
    for (String part : text.split(",")) {
      String host = part.trim().toLowerCase(Locale.ROOT);
      if (host.isEmpty()) continue;
      if (!HOST.matcher(host).matches()) throw new IllegalArgumentException("'" + host + "' is not a host name or address");
      hosts.add(host);
    }
    return hosts;
  }

  static String provider(String text) {
    String provider = text.trim().toLowerCase(Locale.ROOT);
    if (!provider.equals("openai")) {
      throw new IllegalArgumentException("must be openai (any OpenAI-compatible server: OpenAI, Ollama, vLLM, "
          + "llama.cpp; set model.base_url)");
    }
    return provider;
  }

  static String httpUrl(String text) {
    java.net.URI uri;
    try {
      uri = java.net.URI.create(text.trim());
    } catch (IllegalArgumentException e) {
      uri = null;
    }
    if (uri != null && uri.getUserInfo() != null) {
      throw new IllegalArgumentException("must not carry credentials; set model.api_key (STEPWISE_MODEL_API_KEY)");
    }
    if (uri != null && ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
      return text.trim().replaceAll("/+$", "");
    }
    throw new IllegalArgumentException("must be an http:// or https:// URL such as http://127.0.0.1:11434/v1");
  }

  static boolean resolvable(String host) {
    try {
      java.net.InetAddress.getByName(host);
      return true;
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }
}
