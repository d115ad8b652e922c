package dev.stepwise.web;

import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Request bodies as text, read strictly: UTF-8 that is malformed is a 400 naming where, never
 * silently replaced, and no text may contain NUL. Every route reads its body through here (JSON,
 * YAML, form encoding). Thread-safe (stateless).
 */
public final class RequestBodies {
  private RequestBodies() {}

  /** The whole body as text. */
  public static String text(Context ctx) {
    String text = utf8(ctx.bodyAsBytes(), "the request body");
    Json.rejectNul(text);
    return text;
  }

  /** Decodes a form value ({@code %XX} escapes and {@code +}) strictly as UTF-8. */
  static String formValue(String encoded, String field) {
    var bytes = new ByteArrayOutputStream(encoded.length());
    for (int i = 0; i < encoded.length(); ) {
      int c = encoded.codePointAt(i);
      if (c == '+') {
        bytes.write(' ');
      } else if (c == '%') {
        if (i + 2 >= encoded.length() || Character.digit(encoded.charAt(i + 1), 16) < 0
            || Character.digit(encoded.charAt(i + 2), 16) < 0) {
          throw ApiError.badRequest("malformed form encoding in '" + field + "': '%' must be followed by two hex digits");
        }
        bytes.write(Integer.parseInt(encoded, i + 1, i + 3, 16));
        i += 2;
      } else {
        bytes.writeBytes(Character.toString(c).getBytes(StandardCharsets.UTF_8)); // whole characters, never halves
      }
      i += Character.charCount(c);
    }
    return utf8(bytes.toByteArray(), "the form field '" + field + "'");
  }

  static String utf8(byte[] bytes, String what) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate((int) Math.ceil(bytes.length * (double) decoder.maxCharsPerByte()) + 1);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      throw ApiError.badRequest(what + " is not valid UTF-8 (bad byte at offset " + in.position() + "); send UTF-8 text");
    }
    decoder.flush(out);
    return out.flip().toString();
  }
}
