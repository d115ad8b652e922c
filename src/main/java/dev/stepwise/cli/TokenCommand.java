package dev.stepwise.cli;

import dev.stepwise.auth.ApiToken;
import dev.stepwise.auth.ApiTokenService;
import dev.stepwise.auth.ApiTokens;
import dev.stepwise.auth.Caller;
import dev.stepwise.auth.JwtTokens;
import dev.stepwise.auth.SigningKey;
import dev.stepwise.auth.TokenWatches;
import dev.stepwise.web.ApiError;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code stepwise token create|list|revoke}: API tokens, without a running server. */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Manage API tokens.",
    subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
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
      return AdminStore.run(settings, this::create);
    }

    private int create(AdminStore store) {
      var user = store.user(username);
      var created = service(store).create(new Caller(user, null, null), new ApiTokenService.CreateRequest(name, days));
      System.out.println("Token " + created.id() + " '" + created.name() + "' for " + user.username()
          + ", expires " + created.expiresAt() + " (shown only once):");
      System.out.println(created.token());
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true,
      description = "List API tokens (never the tokens themselves): every user's, or one user's.")
  static final class ListTokens implements Callable<Integer> {
    @Mixin SettingsOptions settings;

    @Option(names = "--user", description = "Only this user's tokens.") String username;

    @Override
    public Integer call() {
      return AdminStore.run(settings, this::list);
    }

    private int list(AdminStore store) {
      Long only = username == null ? null : store.user(username).id();
      Map<Long, String> names = new java.util.HashMap<>();
      System.out.printf("%-6s %-20s %-24s %-20s %-20s %s%n", "ID", "USER", "NAME", "EXPIRES", "LAST USED", "STATE");
      for (ApiTokens.Stored stored : new ApiTokens(store.db).listAll()) {
        if (only != null && stored.userId() != only) continue;
        ApiToken token = stored.token();
        String owner = names.computeIfAbsent(stored.userId(), id -> store.users.find(id).map(u -> u.username())
            .orElse("#" + id));
        String state = token.revokedAt() != null ? "revoked"
            : token.expiresAt().isBefore(store.clock.instant()) ? "expired" : "active";
        System.out.printf("%-6d %-20s %-24s %-20s %-20s %s%n", token.id(), owner, token.name(),
            minutes(token.expiresAt()), minutes(token.lastUsedAt()), state);
      }
      return 0;
    }

    private static String minutes(java.time.Instant at) {
      return at == null ? "-" : at.truncatedTo(java.time.temporal.ChronoUnit.MINUTES).toString();
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true,
      description = "Revoke an API token at once; see `stepwise token list` for the ids.")
  static final class Revoke implements Callable<Integer> {
    @Mixin SettingsOptions settings;

    @Parameters(paramLabel = "ID", description = "The token's id, as `stepwise token list` shows it.") long id;

    @Override
    public Integer call() {
      return AdminStore.run(settings, this::revoke);
    }

    private int revoke(AdminStore store) {
      var owner = new ApiTokens(store.db).find(id).orElseThrow(() ->
          ApiError.notFound("there is no API token with id " + id + "; see `stepwise token list`"));
      var user = store.users.find(owner.userId()).orElseThrow();
      service(store).revoke(new Caller(user, null, null), id);
      System.out.println("Revoked token " + id + " '" + owner.token().name() + "' of " + user.username()
          + "; it is refused from now on");
      return 0;
    }
  }

  private static ApiTokenService service(AdminStore store) {
    var jwt = new JwtTokens(SigningKey.load(store.config.auth().jwtSecret(), store.config.dataDir()),
        store.config.auth().tokenTtl(), store.clock);
    return new ApiTokenService(new ApiTokens(store.db), jwt, store.clock, new TokenWatches());
  }
}
