package dev.stepwise.web;

import io.javalin.http.Context;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Gives every request an id, echoed in {@code X-Request-Id} and the access log. Thread-safe. */
public final class RequestIds {
  public static final String HEADER = "X-Request-Id";
  private static final String ATTRIBUTE = "stepwise.request-id";
  private static final Pattern ACCEPTABLE = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private RequestIds() {}

  /** Takes a well-formed incoming id (from a proxy) or makes one. */
  public static void assign(Context ctx) {
    String incoming = ctx.header(HEADER);
    String id = incoming != null && ACCEPTABLE.matcher(incoming).matches() ? incoming : generate();
    ctx.attribute(ATTRIBUTE, id);
    ctx.header(HEADER, id);
  }

  public static String of(Context ctx) {
    String id = ctx.attribute(ATTRIBUTE);
    return id == null ? "-" : id;
  }

  private static String generate() {
    byte[] bytes = new byte[6];
    RANDOM.nextBytes(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
