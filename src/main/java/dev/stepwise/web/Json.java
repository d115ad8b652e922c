package dev.stepwise.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.stream.Collectors;

/**
 * The one JSON configuration of the API: snake_case fields, ISO-8601 timestamps, strict input
 * (unknown fields and wrong types are errors, not silently ignored). Thread-safe.
 */
public final class Json {
  private static final ObjectMapper MAPPER = createMapper();

  private Json() {}

  public static ObjectMapper mapper() {
    return MAPPER;
  }

  private static ObjectMapper createMapper() {
    var mapper = new ObjectMapper(factory())
        .registerModule(new JavaTimeModule())
        .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .setSerializationInclusion(JsonInclude.Include.ALWAYS)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    // "123" is not a number and 1 is not a string: types must match exactly.
    mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
    mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
    mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    return mapper;
  }

  /**
   * A JSON factory whose buffers are recycled across threads. Jackson keeps them per thread by
   * default, which virtual threads (every request and every execution here) defeat: each would
   * allocate its own, a few kilobytes for every event written. A new one for each mapper.
   */
  public static JsonFactory factory() {
    return new JsonFactoryBuilder().recyclerPool(JsonRecyclerPools.newConcurrentDequePool()).build();
  }

  /** The same for YAML. */
  public static YAMLFactory yamlFactory() {
    return YAMLFactory.builder().recyclerPool(JsonRecyclerPools.newConcurrentDequePool()).build();
  }

  public static byte[] write(Object value) {
    try {
      return MAPPER.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads the request body as {@code type}. A missing or non-JSON body is a 400; fields of the
   * wrong type or unknown fields are a 422 naming them.
   */
  public static <T> T read(Context ctx, Class<T> type) {
    String contentType = ctx.contentType();
    if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
      throw ApiError.badRequest("send the body as JSON with Content-Type: application/json");
    }
    String body = RequestBodies.text(ctx);
    if (body.isEmpty()) throw ApiError.badRequest("the request body is empty; send a JSON object");
    return parse(body.getBytes(java.nio.charset.StandardCharsets.UTF_8), type);
  }

  private static final java.util.regex.Pattern NUL = java.util.regex.Pattern.compile("\\\\u0000|\u0000",
      java.util.regex.Pattern.CASE_INSENSITIVE);

  /** NUL characters cannot be stored (PostgreSQL text refuses them), so no field may contain one. */
  public static void rejectNul(String body) {
    if (NUL.matcher(body).find()) {
      throw ApiError.validation("body", "must not contain NUL characters (\\u0000)");
    }
  }

  /** Parses JSON bytes with the same rules as {@link #read}. */
  public static <T> T parse(byte[] body, Class<T> type) {
    try {
      T value = MAPPER.readValue(body, type);
      if (value == null) throw ApiError.badRequest("the request body must be a JSON object, not null");
      return value;
    } catch (UnrecognizedPropertyException e) {
      throw ApiError.validation(path(e), "unknown field");
    } catch (InvalidFormatException e) {
      throw ApiError.validation(path(e), "has the wrong type; expected " + simpleType(e.getTargetType()));
    } catch (MismatchedInputException e) {
      if (e.getPath().isEmpty()) throw ApiError.badRequest("the request body must be a JSON object");
      throw ApiError.validation(path(e), "has the wrong type; expected " + simpleType(e.getTargetType()));
    } catch (JsonMappingException e) {
      if (e.getCause() instanceof StreamConstraintsException limit) throw ApiError.badRequest(describe(limit));
      throw ApiError.badRequest("the JSON does not fit this request: " + firstLine(e.getOriginalMessage()));
    } catch (JsonProcessingException e) {
      throw ApiError.badRequest(describe(e));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * What is wrong with a JSON text, in words that name no parser internals: "malformed JSON: …",
   * or which limit it exceeds.
   */
  public static String describe(JsonProcessingException e) {
    if (e instanceof StreamConstraintsException) {
      String message = String.valueOf(e.getOriginalMessage());
      if (message.contains("nesting depth")) return "the document is nested too deeply (at most 1000 levels)";
      if (message.contains("String value length")) return "the document holds a string longer than this server reads";
      if (message.contains("Number value length")) return "the document holds a number with too many digits";
      return "the document is larger than this server reads";
    }
    String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
        + ", column " + e.getLocation().getColumnNr();
    String message = firstLine(e.getOriginalMessage()).replaceAll("\\s*\\(for [^)]*\\)", "");
    return "malformed JSON" + where + ": " + message;
  }

  private static String path(JsonMappingException e) {
    String path = e.getPath().stream()
        .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
        .collect(Collectors.joining("."));
    return path.isEmpty() ? "body" : path.replace(".[", "[");
  }

  private static String simpleType(Class<?> type) {
    if (type == null) return "another type";
    if (type == String.class) return "a string";
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) return "a whole number";
    if (type == Boolean.class || type == boolean.class) return "true or false";
    if (java.util.Collection.class.isAssignableFrom(type)) return "a list";
    if (type.isEnum()) return "one of the allowed values";
    return "an object";
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }
}
