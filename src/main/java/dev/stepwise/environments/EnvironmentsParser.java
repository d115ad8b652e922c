package dev.stepwise.environments;

import com.fasterxml.jackson.databind.JsonNode;
import dev.stepwise.plans.FieldReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads {@code environments:} strictly, as plans are read: every problem at once under its path
 * ({@code environments.vm.host_key}), unknown fields named with the nearest known one. Checks what
 * can be checked without connecting: the key file is readable, the variables named are set, the
 * pinned key parses, a jump host exists and no chain of jumps loops. Not thread-safe: one per load.
 */
public final class EnvironmentsParser {
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern LABEL = NAME;
  private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:\\[\\]-]{1,253}");
  private static final Pattern USER = Pattern.compile("[A-Za-z0-9._][A-Za-z0-9._-]{0,63}");

  private final Map<String, String> env;
  private final Map<String, String> problems = new LinkedHashMap<>();

  /** @param env the server's environment, where passwords and passphrases are read from */
  public EnvironmentsParser(Map<String, String> env) {
    this.env = env;
  }

  /** The environments {@code section} declares; {@link #problems} says what is wrong with it. */
  public List<EnvironmentSpec> parse(JsonNode section) {
    List<EnvironmentSpec> specs = new ArrayList<>();
    if (section == null || section.isNull() || section.isMissingNode()) return specs;
    if (!section.isObject()) {
      problems.put("environments", "must be a mapping of environment names to their settings");
      return specs;
    }
    section.fields().forEachRemaining(entry -> {
      String name = entry.getKey();
      String path = "environments." + name;
      if (name.equals("local")) {
        problems.put(path, "'local' is this node's own environment and cannot be declared");
      } else if (!NAME.matcher(name).matches()) {
        problems.put(path, "an environment name is 1 to 64 letters, digits, '.', '_' or '-'");
      } else if (!entry.getValue().isObject()) {
        problems.put(path, "must be a mapping of settings (type, host, user, ...)");
      } else {
        EnvironmentSpec spec = read(name, new FieldReader(entry.getValue(), path, problems));
        if (spec != null) specs.add(spec);
      }
    });
    checkJumps(specs);
    return specs;
  }

  /** Each problem, {@code "environments.vm.host: is required"}; empty when the section is sound. */
  public List<String> problems() {
    return problems.entrySet().stream().map(p -> p.getKey() + ": " + p.getValue()).toList();
  }

  private EnvironmentSpec read(String name, FieldReader fields) {
    int before = problems.size();
    String type = fields.string("type", true, 16);
    if (type != null && !type.equals("ssh")) fields.problem("type", "must be ssh");
    String host = fields.string("host", true, 253);
    if (host != null && !HOST.matcher(host).matches()) fields.problem("host", "must be a host name or an IP address");
    int port = fields.integer("port", 1, 65535, 22);
    String user = fields.string("user", true, 64);
    if (user != null && !USER.matcher(user).matches()) fields.problem("user", "must be a user name");
    EnvironmentSpec.Authentication authentication = authentication(fields);
    String hostKey = fields.string("host_key", false, 16 * 1024);
    String knownHostsText = fields.string("known_hosts", false, 4096);
    Path knownHosts = knownHostsText == null ? null : Path.of(knownHostsText);
    if (hostKey == null && knownHosts == null) {
      fields.problem("host_key", "is required (or known_hosts): the host's key is pinned, never trusted on first use "
          + "(`stepwise env trust " + name + "` shows the host's keys and the line to add)");
    } else if (hostKey != null && knownHosts != null) {
      fields.problem("known_hosts", "give host_key or known_hosts, not both");
    } else if (hostKey != null) {
      try {
        HostKeys.parse(hostKey);
      } catch (IllegalArgumentException e) {
        fields.problem("host_key", e.getMessage());
      }
    } else if (!Files.isReadable(knownHosts)) {
      fields.problem("known_hosts", "cannot read " + knownHosts);
    }
    String jump = fields.string("jump", false, 64);
    List<String> labels = fields.strings("labels", 20, 64);
    for (String label : labels) {
      if (!LABEL.matcher(label).matches()) fields.problem("labels", "'" + label + "' is not a valid label");
    }
    int slots = fields.integer("slots", 1, 1024, 4);
    Duration connectTimeout = fields.duration("connect_timeout", Duration.ofSeconds(1), Duration.ofMinutes(5));
    Duration keepalive = fields.duration("keepalive", Duration.ofSeconds(1), Duration.ofMinutes(10));
    fields.finish();
    if (problems.size() > before) return null;
    return new EnvironmentSpec(name, host, port, user, authentication, hostKey, knownHosts, jump, labels, slots,
        connectTimeout == null ? Duration.ofSeconds(10) : connectTimeout,
        keepalive == null ? Duration.ofSeconds(15) : keepalive);
  }

  private EnvironmentSpec.Authentication authentication(FieldReader fields) {
    String keyText = fields.string("private_key", false, 4096);
    String passwordEnv = fields.string("password_env", false, 128);
    String passphraseEnv = fields.string("passphrase_env", false, 128);
    if (fields.has("password")) {
      fields.problem("password", "a password is never written in the settings: name the variable that holds it "
          + "with password_env");
    }
    if (keyText == null && passwordEnv == null) {
      fields.problem("private_key", "is required (or password_env)");
      return null;
    }
    if (keyText != null && passwordEnv != null) {
      fields.problem("password_env", "give private_key or password_env, not both");
      return null;
    }
    if (passwordEnv != null) {
      if (passphraseEnv != null) fields.problem("passphrase_env", "goes with private_key");
      return variable(fields, "password_env", passwordEnv) ? new EnvironmentSpec.PasswordEnv(passwordEnv) : null;
    }
    Path key = Path.of(keyText);
    if (!Files.isReadable(key)) fields.problem("private_key", "cannot read " + key);
    if (passphraseEnv != null && !variable(fields, "passphrase_env", passphraseEnv)) return null;
    return new EnvironmentSpec.KeyFile(key, passphraseEnv);
  }

  /** Whether {@code name} is a variable name that is set in the server's environment. */
  private boolean variable(FieldReader fields, String field, String name) {
    if (!VARIABLE.matcher(name).matches()) {
      fields.problem(field, "must be the name of an environment variable");
      return false;
    }
    String value = env.get(name);
    if (value == null || value.isEmpty()) {
      fields.problem(field, "the variable " + name + " is not set in the server's environment");
      return false;
    }
    return true;
  }

  private void checkJumps(List<EnvironmentSpec> specs) {
    Map<String, EnvironmentSpec> byName = new LinkedHashMap<>();
    specs.forEach(spec -> byName.put(spec.name(), spec));
    for (EnvironmentSpec spec : specs) {
      if (spec.jump() == null) continue;
      String path = "environments." + spec.name() + ".jump";
      if (!byName.containsKey(spec.jump())) {
        problems.putIfAbsent(path, "no environment named '" + spec.jump() + "' to jump through");
        continue;
      }
      var seen = new java.util.LinkedHashSet<String>();
      for (EnvironmentSpec hop = spec; hop != null && hop.jump() != null; hop = byName.get(hop.jump())) {
        if (!seen.add(hop.name())) {
          problems.putIfAbsent(path, "the jumps loop: " + String.join(" → ", seen) + " → " + hop.name());
          break;
        }
      }
    }
  }
}
