package dev.stepwise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Logs in and keeps an API token for the other client commands. */
@Command(name = "login", mixinStandardHelpOptions = true,
    description = "Log in to a server and keep an API token for run, tail and approve.")
public final class LoginCommand implements Callable<Integer> {
  @Mixin ClientOptions client;

  @Option(names = "--username", defaultValue = "admin", description = "Who you are (default admin).") String username;

  @Option(names = "--password-stdin", description = "Read the password from standard input instead of asking.")
  boolean passwordStdin;

  @Override
  public Integer call() {
    return Console.run(() -> {
      String password = password();
      String url = client.credentials().url();
      var anonymous = new Remote(url, null);
      JsonNode session = anonymous.call("POST", "/api/v1/auth/login",
          anonymous.json(Map.of("username", username, "password", password)), "application/json");
      var remote = new Remote(url, session.path("access_token").asText());
      JsonNode token = remote.call("POST", "/api/v1/auth/tokens", remote.json(Map.of("name",
          "cli@" + InetAddress.getLocalHost().getHostName(), "expires_in_days", 30)), "application/json");
      new Credentials(url, token.path("token").asText()).save(System.getenv());
      System.out.println("Logged in to " + url + " as " + username + "; token kept in " + Credentials.file(System.getenv()));
      return 0;
    });
  }

  private String password() throws java.io.IOException {
    if (!passwordStdin && System.console() != null) {
      char[] typed = System.console().readPassword("Password for %s: ", username);
      return typed == null ? "" : new String(typed);
    }
    String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    return line == null ? "" : line;
  }
}
