package dev.stepwise.auth;

import dev.stepwise.store.Page;
import dev.stepwise.web.ApiError;
import dev.stepwise.web.Validation;
import java.util.regex.Pattern;

/** User administration. Thread-safe. */
public final class UserService {
  private static final Pattern USERNAME = Pattern.compile("[a-z0-9][a-z0-9._-]{2,63}");

  private final Users users;
  private final Passwords passwords;
  private final TokenWatches watches;

  /** {@code watches}: the live connections whose token is checked again at once when their user changes. */
  public UserService(Users users, Passwords passwords, TokenWatches watches) {
    this.users = users;
    this.passwords = passwords;
    this.watches = watches;
  }

  public record CreateRequest(String username, String password, String role) {}

  /** Only the fields present are changed. */
  public record UpdateRequest(String role, String password, Boolean disabled) {}

  public Page<User> list(long afterId, int limit) {
    return users.list(afterId, limit);
  }

  public User get(long id) {
    return users.find(id).orElseThrow(() -> notFound(id));
  }

  public User create(CreateRequest request) {
    String username = LoginService.normalize(request.username());
    var validation = new Validation()
        .require("username", request.username())
        .matches("username", username, USERNAME,
            "use 3 to 64 characters: letters, digits, '.', '_' or '-', starting with a letter or digit")
        .require("password", request.password());
    checkPassword(validation, request.password());
    Role role = role(validation, request.role() == null ? Role.VIEWER.wireName() : request.role());
    validation.orThrow();
    return users.create(username, passwords.hash(request.password()), role, false);
  }

  public User update(long id, UpdateRequest request) {
    var validation = new Validation();
    checkPassword(validation, request.password());
    Role role = request.role() == null ? null : role(validation, request.role());
    validation.check("body", request.role() != null || request.password() != null || request.disabled() != null,
        "send at least one of role, password, disabled");
    validation.orThrow();
    User current = get(id);
    if (current.builtin() && (role != null && role != current.role() || request.password() != null)) {
      throw ApiError.conflict("the built-in demo user's role and password cannot change; "
          + "disable it with {\"disabled\": true} instead");
    }
    String hash = request.password() == null ? null : passwords.hash(request.password());
    User updated = users.update(id, role, hash, request.disabled()).orElseThrow(() -> notFound(id));
    watches.userChanged(id);
    return updated;
  }

  public void delete(long id) {
    User user = get(id);
    if (user.builtin()) {
      throw ApiError.conflict("the built-in demo user cannot be deleted; disable it with "
          + "{\"disabled\": true} instead");
    }
    if (!users.delete(id)) throw notFound(id);
    watches.userChanged(id);
  }

  private static void checkPassword(Validation validation, String password) {
    if (password == null) return;
    validation.check("password", password.length() >= Passwords.MIN_LENGTH,
        "must be at least " + Passwords.MIN_LENGTH + " characters long");
    validation.check("password", !Passwords.tooLong(password),
        "must be at most " + Passwords.MAX_BYTES + " bytes long");
  }

  private static Role role(Validation validation, String name) {
    var role = Role.fromWireName(name);
    if (role.isEmpty()) validation.fail("role", "must be one of " + String.join(", ", Role.wireNames()));
    return role.orElse(null);
  }

  private static ApiError notFound(long id) {
    return ApiError.notFound("there is no user with id " + id);
  }
}
