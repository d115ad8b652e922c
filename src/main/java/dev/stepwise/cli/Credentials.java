package dev.stepwise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * The login the command line keeps: the server's URL and an API token, in
 * {@code ~/.config/stepwise/credentials.json} (readable by the owner only). {@code STEPWISE_URL}
 * and {@code STEPWISE_TOKEN} override it.
 */
record Credentials(String url, String token) {
  static final String DEFAULT_URL = "http://localhost:8000";

  static Path file(Map<String, String> env) {
    String base = env.getOrDefault("XDG_CONFIG_HOME", System.getProperty("user.home") + "/.config");
    return Path.of(base, "stepwise", "credentials.json");
  }

  /** The stored login with environment overrides; {@code urlFlag} wins over both when given. */
  static Credentials load(Map<String, String> env, String urlFlag) {
    String url = DEFAULT_URL;
    String token = null;
    Path file = file(env);
    if (Files.exists(file)) {
      try {
        JsonNode stored = new ObjectMapper().readTree(file.toFile());
        url = stored.path("url").asText(url);
        token = stored.path("token").asText(null);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
    }
    if (env.containsKey("STEPWISE_URL")) url = env.get("STEPWISE_URL");
    if (env.containsKey("STEPWISE_TOKEN")) token = env.get("STEPWISE_TOKEN");
    if (urlFlag != null) url = urlFlag;
    return new Credentials(url, token);
  }

  Remote remote() {
    if (token == null) {
      throw new IllegalStateException("not logged in: run `stepwise login` first (or set STEPWISE_TOKEN)");
    }
    return new Remote(url, token);
  }

  void save(Map<String, String> env) {
    Path file = file(env);
    try {
      Files.createDirectories(file.getParent());
      Path temp = Files.createTempFile(file.getParent(), ".credentials", ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(temp, new ObjectMapper().writeValueAsString(Map.of("url", url, "token", token)));
      Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
