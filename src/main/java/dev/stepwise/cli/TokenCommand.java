package dev.stepwise.cli;

import dev.stepwise.auth.ApiTokenService;
import dev.stepwise.auth.ApiTokens;
import dev.stepwise.auth.Caller;
import dev.stepwise.auth.JwtTokens;
import dev.stepwise.auth.SigningKey;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code stepwise token create}: an API token for a user, without a running server. */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Manage API tokens.",
    subcommands = {TokenCommand.Create.class})
public final class TokenCommand extends CommandGroup {
  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create an API token for a user and print it (shown only once).")
  static final class Create implements Callable<Integer> {
    @Mixin SettingsOptions settings;

    @Option(names = "--user", required = true, description = "Whose token it is.") String username;

    @Option(names = "--name", required = true, description = "What the token is for, e.g. ci.") String name;

    @Option(names = "--days", description = "Days until it expires (1..365, default 90).") Integer days;

    @Override
    public Integer call() {
      return Console.run(this::create);
    }

    private Integer create() {
      try (var store = new AdminStore(settings.load(Map.of()))) {
        var user = store.users.findByUsername(username.trim().toLowerCase());
        if (user.isEmpty()) {
          System.err.println("stepwise: there is no user '" + username + "'; see `stepwise user list`");
          return 1;
        }
        var jwt = new JwtTokens(SigningKey.load(store.config.auth().jwtSecret(), store.config.dataDir()),
            store.config.auth().tokenTtl(), store.clock);
        var created = new ApiTokenService(new ApiTokens(store.db), jwt, store.clock)
            .create(new Caller(user.get(), null, null), new ApiTokenService.CreateRequest(name, days));
        System.out.println("Token " + created.id() + " '" + created.name() + "' for " + user.get().username()
            + ", expires " + created.expiresAt() + " (shown only once):");
        System.out.println(created.token());
        return 0;
      }
    }
  }
}
