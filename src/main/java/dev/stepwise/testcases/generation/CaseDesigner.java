package dev.stepwise.testcases.generation;

import dev.stepwise.testcases.generation.ErrorPaths.ErrorPath;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The analyser's test design: from what is known of a function, its cases in order of value — the
 * change itself (for a diff), a nominal call, each error path, then per parameter the null, empty,
 * overflow and boundary values its type calls for. Pure and thread-safe.
 */
final class CaseDesigner {
  private CaseDesigner() {}

  /** A case before it is named, with its rank: lower tiers come first, then parameter order. */
  private record Draft(int tier, int order, String slug, String kind, String description, String expected) {}

  /** Every case worth proposing for {@code target}, best first; names unique within the list. */
  static List<ProposedCase> design(Target target) {
    List<Draft> drafts = new ArrayList<>();
    FunctionSignature function = target.signature();
    List<ErrorPath> errors = function == null ? List.of() : ErrorPaths.of(function);
    if (target.change() != null) drafts.add(changeCase(target));
    drafts.add(nominal(target));
    int order = 0;
    for (ErrorPath error : errors) drafts.add(errorCase(error, order++));
    if (function == null) {
      drafts.addAll(fromNameOnly(target));
    } else {
      List<FunctionSignature.Parameter> parameters = function.parameters();
      for (int i = 0; i < parameters.size(); i++) drafts.addAll(parameterCases(function, parameters, i, errors));
    }
    drafts.sort(Comparator.comparingInt(Draft::tier).thenComparingInt(Draft::order));
    List<ProposedCase> cases = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (Draft draft : drafts) {
      String name = uniqueName(testName(target.functionName(), draft.slug()), names);
      names.add(name);
      List<String> tags = new ArrayList<>(List.of("generated", draft.kind()));
      if (target.language() != null) tags.add(target.language().name().toLowerCase(Locale.ROOT));
      cases.add(new ProposedCase(name, target.functionName(), target.filePath(), draft.kind(), draft.description(),
          draft.expected(), tags));
    }
    return cases;
  }

  static String testName(String function, String slug) {
    String base = ("test_" + function.replaceAll("[^A-Za-z0-9_]", "_") + "_" + slug).replaceAll("_+", "_");
    return base.length() > 120 ? base.substring(0, 120) : base;
  }

  private static String uniqueName(String name, List<String> taken) {
    String candidate = name;
    for (int n = 2; taken.contains(candidate); n++) candidate = name + "_" + n;
    return candidate;
  }

  private static Draft changeCase(Target target) {
    Target.Change change = target.change();
    String where = change.lines().isEmpty() ? "" : " (line" + (change.lines().size() == 1 ? " " : "s ")
        + change.lines().getFirst() + (change.lines().size() > 1 ? "–" + change.lines().getLast() : "") + ")";
    String excerpt = change.excerpt().isEmpty() ? "" : ": " + String.join(" ", change.excerpt());
    if (change.status().equals("added")) {
      return new Draft(0, 0, "new_behaviour", "new", "New function " + target.functionName() + " in "
          + target.filePath() + where + excerpt + ". Cover its intended behaviour before anything depends on it.",
          "behaves as its callers expect for typical inputs; no crash or leak under a sanitizer");
    }
    String renamed = change.renamedFrom() == null ? "" : " (file renamed from " + change.renamedFrom() + ")";
    return new Draft(0, 0, "regression", "regression", "Regression test for the change to " + target.functionName()
        + " in " + target.filePath() + renamed + where + excerpt
        + ". Exercise the changed lines, and the inputs that behaved correctly before the change.",
        "the changed branch behaves as the change intends; every other input gives the same result as before");
  }

  private static Draft nominal(Target target) {
    String call = target.signature() == null ? target.functionName() : "`" + target.signature().display() + "`";
    return new Draft(1, 0, "nominal", "nominal", "Call " + call + " with typical valid arguments.",
        target.signature() != null && isVoid(target.signature()) ? "completes without error and leaves its outputs "
            + "in the expected state" : "returns the documented result for ordinary input");
  }

  private static Draft errorCase(ErrorPath error, int order) {
    String slug = "error_" + error.outcome()
        .replaceAll("^(returns an error|returns|throws|raises|takes its error exit)\\s*", "")
        .replaceAll("errors\\.New|fmt\\.Errorf|goto ", "").replaceAll("[^A-Za-z0-9]+", "_").toLowerCase(Locale.ROOT)
        .replaceAll("^_+|_+$", "");
    if (slug.length() > 46) slug = slug.substring(0, 46).replaceAll("_+$", "");
    String description = error.guard() == null
        ? "Drive the function into its error path that " + error.outcome() + "."
        : "Give inputs for which `" + error.guard() + "` holds, reaching the error path that " + error.outcome() + ".";
    return new Draft(2, order, slug.isEmpty() ? "error" : slug, "error_path", description, error.outcome());
  }

  private static List<Draft> parameterCases(FunctionSignature function, List<FunctionSignature.Parameter> parameters,
      int index, List<ErrorPath> errors) {
    Language language = function.language();
    FunctionSignature.Parameter parameter = parameters.get(index);
    ParameterKind kind = ParameterKind.of(language, parameter);
    String name = parameter.name().replaceAll("^\\*+", "");
    String shown = "`" + name + "`" + (parameter.type() == null ? "" : " (" + parameter.type() + ")");
    String slugName = name.replaceAll("[^A-Za-z0-9]", "_");
    String refusal = errors.isEmpty() ? "handles it without crashing, in the way the function documents"
        : "refuses it with an error (" + String.join(", ", errors.stream().map(ErrorPath::outcome).distinct().limit(3)
            .toList()) + ") instead of failing later";
    List<Draft> drafts = new ArrayList<>();
    if (kind.nullable(language)) {
      drafts.add(new Draft(3, index, "null_" + slugName, "null", "Pass " + nullWord(language) + " as " + shown + ".",
          refusal));
    }
    FunctionSignature.Parameter size = sizeAfter(language, parameters, index);
    switch (kind) {
      case STRING -> {
        drafts.add(new Draft(4, index, "empty_" + slugName, "empty", "Pass an empty string as " + shown + ".", refusal));
        drafts.add(new Draft(5, index, "long_" + slugName, "overflow", "Pass a very long string (64 KiB) as " + shown
            + (size == null ? "" : ", longer than `" + size.name() + "` says") + ".",
            "no read or write past any buffer (clean under a sanitizer); the result is truncated or refused"));
      }
      case BUFFER -> {
        if (size != null) {
          drafts.add(new Draft(4, index, "zero_" + size.name(), "empty", "Pass a valid " + shown + " with `"
              + size.name() + "` = 0.", "touches no byte of `" + name + "` and reports zero work or an error"));
          drafts.add(new Draft(5, index, "overflow_" + slugName, "overflow", "Pass `" + size.name()
              + "` one larger than the space " + shown + " really has.",
              "no access beyond the buffer (clean under a sanitizer)"));
        } else {
          drafts.add(new Draft(4, index, "empty_" + slugName, "empty", "Pass an empty " + shown + ".", refusal));
        }
      }
      case SIZE -> {
        if (!isSizeOfEarlierBuffer(language, parameters, index)) {
          drafts.add(new Draft(4, index, "zero_" + slugName, "boundary", "Pass 0 as " + shown + ".",
              "treats an empty request correctly: nothing done, or an error"));
        }
        drafts.add(new Draft(6, index, "max_" + slugName, "boundary", "Pass the largest value, " + maxWord(language,
            parameter) + ", as " + shown + ".", "no overflow in size arithmetic; refused or clamped"));
      }
      case SIGNED -> {
        drafts.add(new Draft(6, index, "negative_" + slugName, "boundary", "Pass -1 as " + shown + ".", refusal));
        drafts.add(new Draft(6, index, "min_max_" + slugName, "boundary", "Pass the minimum and the maximum "
            + "value of the type as " + shown + ".", "no overflow; the extremes are accepted or refused as documented"));
        drafts.add(new Draft(7, index, "zero_" + slugName, "boundary", "Pass 0 as " + shown + ".",
            "the documented result for zero"));
      }
      case UNSIGNED -> drafts.add(new Draft(6, index, "min_max_" + slugName, "boundary", "Pass 0 and the maximum value "
          + "of the type as " + shown + ".", "no wrap-around; the extremes are accepted or refused as documented"));
      case FLOAT -> drafts.add(new Draft(6, index, "nan_inf_" + slugName, "boundary", "Pass NaN, +/-infinity and -0.0 "
          + "as " + shown + ".", "no NaN leaks into the result unless documented; no exception"));
      case BOOL -> drafts.add(new Draft(7, index, "both_" + slugName, "boundary", "Call once with " + shown
          + " true and once false.", "each value selects its documented behaviour"));
      case COLLECTION -> {
        drafts.add(new Draft(4, index, "empty_" + slugName, "empty", "Pass an empty collection as " + shown + ".",
            "returns the documented result for no elements"));
        drafts.add(new Draft(7, index, "single_" + slugName, "boundary", "Pass exactly one element as " + shown + ".",
            "the one element is handled (no off-by-one)"));
      }
      case MAP -> drafts.add(new Draft(4, index, "empty_" + slugName, "empty", "Pass an empty mapping as " + shown
          + ".", "missing keys get their defaults or a clear error"));
      case POINTER, CALLBACK, CONTEXT, VARIADIC, OTHER -> {
        // only the null case above applies: nothing is known of the value's range
      }
    }
    return drafts;
  }

  private static List<Draft> fromNameOnly(Target target) {
    return List.of(
        new Draft(3, 0, "invalid_input", "error_path", "Call " + target.functionName() + " with invalid arguments "
            + "(the source was not available: choose values outside its documented domain).",
            "refuses them with an error; no crash"),
        new Draft(4, 0, "empty_input", "empty", "Call " + target.functionName() + " with empty or zero-sized input.",
            "the documented result for empty input; no crash"),
        new Draft(5, 0, "oversized_input", "overflow", "Call " + target.functionName() + " with oversized input "
            + "(very long strings, the largest sizes).", "no overflow; refused or truncated"),
        new Draft(6, 0, "boundary_values", "boundary", "Call " + target.functionName() + " with each argument at the "
            + "edges of its range.", "the edges behave as documented"));
  }

  /** The size parameter that goes with a buffer or string at {@code index}, if the next one is one. */
  private static FunctionSignature.Parameter sizeAfter(Language language, List<FunctionSignature.Parameter> parameters,
      int index) {
    if (index + 1 >= parameters.size()) return null;
    // only C passes a string's length beside it; elsewhere a string knows its own
    if (language != Language.C && ParameterKind.of(language, parameters.get(index)) != ParameterKind.BUFFER) return null;
    FunctionSignature.Parameter next = parameters.get(index + 1);
    return ParameterKind.of(language, next) == ParameterKind.SIZE ? next : null;
  }

  private static boolean isSizeOfEarlierBuffer(Language language, List<FunctionSignature.Parameter> parameters,
      int index) {
    if (index == 0) return false;
    ParameterKind before = ParameterKind.of(language, parameters.get(index - 1));
    return before == ParameterKind.BUFFER || (language == Language.C && before == ParameterKind.STRING);
  }

  private static boolean isVoid(FunctionSignature function) {
    String type = function.returnType();
    return type != null && (type.equals("void") || type.equals("None"));
  }

  private static String nullWord(Language language) {
    return switch (language) {
      case C -> "NULL";
      case JAVA, SCRIPT -> "null";
      case PYTHON -> "None";
      case GO -> "nil";
    };
  }

  private static String maxWord(Language language, FunctionSignature.Parameter parameter) {
    String type = parameter.type() == null ? "" : parameter.type();
    return switch (language) {
      case C -> type.contains("size_t") ? "SIZE_MAX" : type.contains("long") ? "LONG_MAX"
          : type.contains("unsigned") || type.matches(".*u(int)?\\d+.*") ? "the type's maximum (e.g. UINT_MAX)" : "INT_MAX";
      case JAVA -> type.matches("long|Long") ? "Long.MAX_VALUE" : "Integer.MAX_VALUE";
      case PYTHON -> "sys.maxsize";
      case GO -> "math.MaxInt";
      case SCRIPT -> "Number.MAX_SAFE_INTEGER";
    };
  }
}
