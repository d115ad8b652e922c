package dev.stepwise.cli;

import dev.stepwise.auth.TokenWatches;
import dev.stepwise.auth.User;
import dev.stepwise.auth.UserService;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stepwise user add|list|delete}: user administration without a running server. */
@Command(name = "user", mixinStandardHelpOptions = true, description = "Manage users.",
    subcommands = {UserCommand.Add.class, UserCommand.ListUsers.class, UserCommand.Delete.class})
public final class UserCommand extends CommandGroup {
  @Command(name = "add", mixinStandardHelpOptions = true,
      description = "Add a user. Without --password-stdin a password is generated and printed once.")
  static final class Add implements Callable<Integer> {
    @Mixin SettingsOptions settings;

    @Parameters(paramLabel = "USERNAME", description = "The new user's name (lower-cased).") String username;

    @Option(names = "--role", defaultValue = "viewer", description = "viewer, demo, operator or admin (default viewer).")
    String role;

    @Option(names = "--password-stdin", description = "Read the password from the first line of standard input.")
    boolean passwordStdin;

    @Override
    public Integer call() {
      return AdminStore.run(settings, store -> {
        String password = passwordStdin ? readLine() : store.passwords.generate();
        User user = new UserService(store.users, store.passwords, new TokenWatches())
            .create(new UserService.CreateRequest(username, password, role));
        System.out.println("Added user '" + user.username() + "' (id " + user.id() + ", role " + user.role().wireName() + ")");
        if (!passwordStdin) System.out.println("Password (shown only once): " + password);
        return 0;
      });
    }

    private static String readLine() throws IOException {
      var reader = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line = reader.readLine();
      return line == null ? "" : line;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List users.")
  static final class ListUsers implements Callable<Integer> {
    @Mixin SettingsOptions settings;

    @Override
    public Integer call() {
      return AdminStore.run(settings, this::list);
    }

    private int list(AdminStore store) {
      System.out.printf("%-6s %-24s %-9s %s%n", "ID", "USERNAME", "ROLE", "STATE");
      long after = 0;
      while (true) {
        var page = store.users.list(after, 500);
        for (User user : page.items()) {
          System.out.printf("%-6d %-24s %-9s %s%n", user.id(), user.username(), user.role().wireName(),
              user.disabled() ? "disabled" : "enabled");
        }
        if (page.nextCursor() == null) return 0;
        after = Long.parseLong(page.nextCursor());
      }
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true,
      description = "Delete a user; their tokens stop working at once. The last admin and the demo user stay.")
  static final class Delete implements Callable<Integer> {
    @Mixin SettingsOptions settings;

    @Parameters(paramLabel = "USERNAME", description = "The user to delete, as `stepwise user list` shows it.")
    String username;

    @Override
    public Integer call() {
      return AdminStore.run(settings, store -> {
        User user = store.user(username);
        new UserService(store.users, store.passwords, new TokenWatches()).delete(user.id());
        System.out.println("Deleted user '" + user.username() + "' (id " + user.id() + ")");
        return 0;
      });
    }
  }
}
