package dev.stepwise.testcases.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The analyser on real source files of each language it reads. */
class AnalyserTest {
  static final Path SOURCES = Path.of("src/test/resources/sources").toAbsolutePath();

  private final Targets targets = new Targets(new SourceTree(SOURCES, Path.of("data")));
  private final AnalyserGenerator analyser = new AnalyserGenerator();

  private List<ProposedCase> cases(String file, String function, int max) {
    Target target = targets.locate(file, function);
    assertThat(target.sourceNote()).as("source of " + function).isNull();
    return analyser.generate(List.of(target), max).cases();
  }

  private static List<String> names(List<ProposedCase> cases) {
    return cases.stream().map(ProposedCase::name).toList();
  }

  @Test
  void readsCSignaturesOfEveryShape() {
    List<FunctionSignature> functions = Language.C.functions(SourceTextFixtures.read("c/netparse.c"));
    assertThat(functions).extracting(FunctionSignature::display).containsExactly(
        "int parse_port(const char *text)",
        "size_t copy_bounded(char *dst, size_t dst_len, const char *src)",
        "uint8_t checksum(const uint8_t *buf, size_t len)",
        "int sum_range(int lo, int hi)",
        "void apply_all(int (*)(int) fn, int *values, size_t count)",
        "int window_end(const struct window *w, size_t *end)");
    FunctionSignature sumRange = functions.get(3);
    assertThat(sumRange.firstLine()).isEqualTo(56);
    assertThat(sumRange.lastLine()).isEqualTo(67);
    assertThat(functions.get(5).body()).isEmpty();
  }

  @Test
  void cFunctionGetsNominalThenEachErrorPathThenParameterCases() {
    List<ProposedCase> cases = cases("c/netparse.c", "parse_port", 50);
    assertThat(names(cases)).startsWith("test_parse_port_nominal", "test_parse_port_error_einval",
        "test_parse_port_error_einval_2", "test_parse_port_error_erange", "test_parse_port_error_erange_2",
        "test_parse_port_null_text", "test_parse_port_empty_text", "test_parse_port_long_text");
    assertThat(names(cases)).doesNotHaveDuplicates();
    assertThat(cases.get(1).description()).contains("text == NULL || *text == '\\0'").contains("-EINVAL");
    assertThat(cases.get(3).description()).contains("value > MAX_PORT");
    assertThat(cases.get(5).expected()).contains("-EINVAL").contains("-ERANGE");
    assertThat(cases).allSatisfy(c -> assertThat(c.tags()).contains("generated", "c"));
  }

  @Test
  void buffersWithSizesGetNullZeroAndOverflowCases() {
    List<ProposedCase> cases = cases("c/netparse.c", "checksum", 50);
    assertThat(names(cases)).contains("test_checksum_null_buf", "test_checksum_zero_len", "test_checksum_overflow_buf",
        "test_checksum_max_len");
    assertThat(cases).filteredOn(c -> c.name().equals("test_checksum_overflow_buf")).singleElement()
        .satisfies(c -> assertThat(c.description()).contains("`len` one larger"));
    List<ProposedCase> copy = cases("c/netparse.c", "copy_bounded", 50);
    assertThat(names(copy)).contains("test_copy_bounded_null_dst", "test_copy_bounded_zero_dst_len",
        "test_copy_bounded_overflow_dst", "test_copy_bounded_null_src", "test_copy_bounded_long_src");
  }

  @Test
  void signedIntegersGetBoundariesAndCallbacksANullCase() {
    assertThat(names(cases("c/netparse.c", "sum_range", 50))).contains("test_sum_range_error_1",
        "test_sum_range_negative_lo", "test_sum_range_min_max_hi");
    assertThat(names(cases("c/netparse.c", "apply_all", 50))).contains("test_apply_all_null_fn",
        "test_apply_all_null_values", "test_apply_all_zero_count");
  }

  @Test
  void maxTestsKeepsTheMostValuableCases() {
    assertThat(names(cases("c/netparse.c", "parse_port", 1))).containsExactly("test_parse_port_nominal");
    assertThat(names(cases("c/netparse.c", "parse_port", 3))).containsExactly("test_parse_port_nominal",
        "test_parse_port_error_einval", "test_parse_port_error_einval_2");
  }

  @Test
  void readsJavaPythonGoAndTypeScript() {
    assertThat(targets.locate("other/Accounts.java", "transfer").signature().display())
        .isEqualTo("long transfer(String from, String to, long amount)");
    assertThat(names(cases("other/Accounts.java", "transfer", 50))).contains("test_transfer_error_illegalargumentexception",
        "test_transfer_error_illegalstateexception", "test_transfer_null_from", "test_transfer_empty_to",
        "test_transfer_negative_amount");
    assertThat(targets.locate("other/Accounts.java", "Accounts").signature().parameters()).hasSize(1);

    assertThat(targets.locate("other/slices.py", "chunk").signature().display())
        .isEqualTo("def chunk(items: list, size: int, pad: Optional[str]) -> list");
    assertThat(names(cases("other/slices.py", "chunk", 50))).contains("test_chunk_error_valueerror",
        "test_chunk_empty_items", "test_chunk_zero_size", "test_chunk_null_pad");
    assertThat(names(cases("other/slices.py", "read_line", 50))).contains("test_read_line_error_none",
        "test_read_line_null_data", "test_read_line_zero_limit", "test_read_line_overflow_data");

    assertThat(targets.locate("other/quota.go", "Take").signature().display())
        .isEqualTo("func Take(buckets map[string]int, name string, n int) (int, error)");
    List<ProposedCase> take = cases("other/quota.go", "Take", 50);
    assertThat(names(take)).contains("test_Take_null_buckets", "test_Take_empty_name", "test_Take_zero_n",
        "test_Take_error_invalid_amount_d", "test_Take_error_no_such_bucket", "test_Take_error_errexhausted");
    assertThat(take).filteredOn(c -> c.kind().equals("error_path")).extracting(ProposedCase::expected)
        .contains("returns an error (\"invalid amount %d\")", "returns an error (errors.New(\"no such bucket\"))",
            "returns an error (ErrExhausted)");
    assertThat(targets.locate("other/quota.go", "Reset").signature().parameters())
        .extracting(FunctionSignature.Parameter::type).containsExactly("[]string", "[]byte");

    assertThat(targets.locate("other/format.ts", "formatBytes").signature().display())
        .isEqualTo("function formatBytes(bytes: number, decimals: number): string");
    assertThat(names(cases("other/format.ts", "formatBytes", 50))).contains("test_formatBytes_error_rangeerror");
    assertThat(targets.locate("other/format.ts", "joinPath").signature().parameters())
        .extracting(FunctionSignature.Parameter::name).containsExactly("parts", "separator");
    assertThat(names(cases("other/format.ts", "lookup", 50))).contains("test_lookup_null_fallback");
  }

  @Test
  void withoutTheSourceItAnswersFromTheNameAndSaysWhy() {
    Target missing = targets.locate("c/absent.c", "test_func");
    assertThat(missing.sourceNote()).isEqualTo("c/absent.c was not found under testing.source_root");
    assertThat(names(analyser.generate(List.of(missing), 3).cases())).containsExactly("test_test_func_nominal",
        "test_test_func_invalid_input", "test_test_func_empty_input");
    Target unknownFunction = targets.locate("c/netparse.c", "no_such");
    assertThat(unknownFunction.sourceNote()).isEqualTo("no function named no_such was found in c/netparse.c");
    Target noRoot = new Targets(new SourceTree(null, Path.of("data"))).locate("test.c", "test_func");
    assertThat(noRoot.sourceNote()).contains("testing.source_root is not set");
  }

  @Test
  void pathsCannotLeaveTheSourceRoot(@TempDir Path dir) throws Exception {
    assertThat(SourceTree.unsafe("../etc/passwd")).contains("'..'");
    assertThat(SourceTree.unsafe("/etc/passwd")).contains("relative");
    assertThat(SourceTree.unsafe("a/../../b")).contains("'..'");
    assertThat(SourceTree.unsafe("src/ok.c")).isNull();
    Path root = Files.createDirectories(dir.resolve("root"));
    Files.writeString(dir.resolve("secret.c"), "int secret(void) { return 42; }");
    Files.createSymbolicLink(root.resolve("link.c"), dir.resolve("secret.c"));
    var tree = new SourceTree(root, dir.resolve("data"));
    assertThatThrownBy(() -> tree.read("link.c")).isInstanceOf(SourceTree.EscapesRoot.class);
    Files.createDirectories(root.resolve("data"));
    Files.writeString(root.resolve("data/key.c"), "int k(void) { return 1; }");
    assertThat(new SourceTree(root, root.resolve("data")).read("data/key.c").problem()).contains("data dir");
  }

  @Test
  void commandTemplatesQuoteEveryValue() {
    var templates = new CommandTemplates(java.util.Map.of("default", "make -C {source_root} test TEST={test_name}",
        "net", "./run.sh {subsystem} {function_name} {file_path}"), Path.of("/src/my tree"));
    assertThat(templates.commandFor(new CommandTemplates.Fields("test_a", "a", "x.c", null)))
        .hasValue("make -C '/src/my tree' test TEST=test_a");
    assertThat(templates.commandFor(new CommandTemplates.Fields("t", "f", "dir/it's; rm -rf ~.c", "net")))
        .hasValue("./run.sh net f 'dir/it'\\''s; rm -rf ~.c'");
    assertThat(new CommandTemplates(java.util.Map.of(), null).commandFor(new CommandTemplates.Fields("t", "f", "x.c", "net")))
        .isEmpty();
    assertThat(CommandTemplates.missingReason("net")).contains("testing.commands.net").contains("testing.commands.default");
  }

  @Test
  void adversarialSourcesDoNotMakeTheScannersBacktrackForever() {
    // each line opens something that never closes; a scanner that looks to the end from every line would not finish
    String angle = "a<\n".repeat(200_000);
    String typed = "const x: y\n".repeat(100_000);
    String parens = "f(".repeat(100_000);
    for (Language language : Language.values()) {
      assertThat(language.functions(angle)).isEmpty();
      assertThat(language.functions(typed)).isEmpty();
      assertThat(language.functions(parens)).isEmpty();
    }
  }

  @Test
  void aFunctionWhoseBodyNeverClosesIsStillRead() {
    assertThat(Language.C.functions("int f(void) {")).extracting(FunctionSignature::name).containsExactly("f");
    assertThat(Language.JAVA.functions("public int f(String s) {")).extracting(FunctionSignature::name).containsExactly("f");
    assertThat(Language.GO.functions("func f(s string) int {")).extracting(FunctionSignature::name).containsExactly("f");
    assertThat(Language.SCRIPT.functions("function f(a) {")).hasSizeLessThanOrEqualTo(1);
    assertThat(Language.C.functions("DEFINE_LOCK(big)\nint after_macro(int x) { return x; }"))
        .extracting(FunctionSignature::name).containsExactly("after_macro");
  }
}
