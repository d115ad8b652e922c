package dev.stepwise.testcases.generation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stepwise.testing.GitRepo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real {@code git diff} output: a modified function, a new file, a rename with changes, a pure rename. */
class DiffTargetsTest {
  @TempDir Path repo;

  private GitRepo git;

  @BeforeEach
  void commitTheSources() throws Exception {
    Files.createDirectories(repo.resolve("c"));
    Files.createDirectories(repo.resolve("other"));
    for (String file : List.of("c/netparse.c", "other/quota.go", "other/format.ts")) {
      Files.writeString(repo.resolve(file), SourceTextFixtures.read(file));
    }
    git = GitRepo.commitAll(repo);
  }

  private void edit(String file, String from, String to) throws IOException {
    Path path = repo.resolve(file);
    String text = Files.readString(path);
    assertThat(text).contains(from);
    Files.writeString(path, text.replace(from, to));
  }

  private String stagedDiff() {
    git.git("add", "-A");
    return git.git("diff", "--cached", "-M");
  }

  @Test
  void findsTheChangedNewAndRenamedFunctions() throws Exception {
    edit("c/netparse.c", "\t\tif (value > MAX_PORT)\n", "\t\tif (value >= MAX_PORT)\n");
    Files.writeString(repo.resolve("c/ring.c"), """
        #include <stddef.h>

        int ring_push(int *slots, size_t capacity, size_t *head, int value)
        {
        \tif (slots == NULL || capacity == 0)
        \t\treturn -1;
        \tslots[*head % capacity] = value;
        \t*head += 1;
        \treturn 0;
        }
        """);
    git.git("mv", "other/quota.go", "other/quota_v2.go");
    edit("other/quota_v2.go", "if left < n {", "if left <= n {");
    git.git("mv", "other/format.ts", "other/formatting.ts");
    String diff = stagedDiff();
    assertThat(diff).contains("rename from other/quota.go").contains("new file mode").contains("rename to other/formatting.ts");

    var result = new DiffTargets(new Targets(new SourceTree(repo, repo.resolve("data")))).read(diff);
    assertThat(result.targets()).extracting(Target::functionName).containsExactly("parse_port", "ring_push", "Take");
    Target parsePort = result.targets().get(0);
    assertThat(parsePort.change().status()).isEqualTo("modified");
    assertThat(parsePort.change().lines()).containsExactly(26);
    assertThat(parsePort.change().excerpt()).containsExactly("`if (value >= MAX_PORT)`");
    assertThat(parsePort.signature().display()).isEqualTo("int parse_port(const char *text)");
    assertThat(result.targets().get(1).change().status()).isEqualTo("added");
    Target take = result.targets().get(2);
    assertThat(take.change().status()).isEqualTo("renamed");
    assertThat(take.change().renamedFrom()).isEqualTo("other/quota.go");
    assertThat(result.notes()).contains(
        "other/formatting.ts is renamed from other/format.ts without changes to its content: nothing new to test");

    List<ProposedCase> cases = new AnalyserGenerator().generate(result.targets(), 6).cases();
    assertThat(cases).extracting(ProposedCase::name).containsExactly("test_parse_port_regression",
        "test_ring_push_new_behaviour", "test_Take_regression", "test_parse_port_nominal", "test_ring_push_nominal",
        "test_Take_nominal");
    assertThat(cases.getFirst().description()).contains("line 26").contains("`if (value >= MAX_PORT)`");
    assertThat(cases.get(2).description()).contains("renamed from other/quota.go");
  }

  @Test
  void withoutTheTreeItReadsFunctionsFromHunkHeadersAndAddedLines() throws Exception {
    edit("c/netparse.c", "\treturn total;\n", "\treturn total + 0;\n");
    String diff = stagedDiff();
    assertThat(diff).contains("@@").contains("sum_range(int lo,");
    var result = new DiffTargets(new Targets(new SourceTree(null, repo.resolve("data")))).read(diff);
    // git's hunk header names the function's first line; for sum_range that is "sum_range(int lo,"
    assertThat(result.targets()).extracting(Target::functionName).containsExactly("sum_range");
    assertThat(result.targets().getFirst().change().lines()).containsExactly(66);
    assertThat(result.targets().getFirst().sourceNote()).contains("read from the diff itself");
  }

  @Test
  void refusesPathsOutsideTheTreeAndTextThatIsNoDiff() {
    var diffs = new DiffTargets(new Targets(new SourceTree(repo, repo.resolve("data"))));
    String traversal = """
        diff --git a/../../etc/x.c b/../../etc/x.c
        --- a/../../etc/x.c
        +++ b/../../etc/x.c
        @@ -1,1 +1,1 @@
        -int a(void) { return 1; }
        +int a(void) { return 2; }
        """;
    assertThatThrownBy(() -> diffs.read(traversal)).isInstanceOf(DiffTargets.BadDiff.class).hasMessageContaining("'..'");
    assertThatThrownBy(() -> diffs.read("hello, this is not a diff")).isInstanceOf(DiffTargets.BadDiff.class)
        .hasMessageContaining("no file changes");
  }

  @Test
  void aDiffThatOnlyChangesASignatureLineIsRead() {
    String diff = """
        diff --git a/src/parse.c b/src/parse.c
        --- a/src/parse.c
        +++ b/src/parse.c
        @@ -10,3 +10,3 @@ static int helper(void)
        \s
        -int parse(char *s) {
        +int parse(const char *s) {
           return 0;
        """;
    var result = new DiffTargets(new Targets(new SourceTree(repo, repo.resolve("data")))).read(diff);
    assertThat(result.targets()).extracting(Target::functionName).contains("parse");
  }

  @Test
  void aHunkWhoseLineNumbersAreOffIsFoundByItsContextAsPatchWould() throws Exception {
    edit("c/netparse.c", "\t\tif (value > MAX_PORT)\n", "\t\tif (value >= MAX_PORT)\n");
    String diff = stagedDiff();
    // the tree has moved on since the diff was made: three lines were added at the top of the file
    Path file = repo.resolve("c/netparse.c");
    Files.writeString(file, "/* one */\n/* two */\n/* three */\n" + Files.readString(file));
    var result = new DiffTargets(new Targets(new SourceTree(repo, repo.resolve("data")))).read(diff);
    assertThat(result.targets()).extracting(Target::functionName).containsExactly("parse_port");
    Target target = result.targets().getFirst();
    assertThat(target.signature().display()).contains("parse_port(");
    assertThat(target.sourceNote()).contains("found by their context 3 lines from where the diff puts them");
    int changed = target.change().lines().getFirst();
    assertThat(Files.readAllLines(file).get(changed - 1)).contains("value >= MAX_PORT");
  }

  @Test
  void withoutTheSourceTheFunctionIsReadFromTheDiffsOwnLines() throws Exception {
    edit("c/netparse.c", "\t\tif (value > MAX_PORT)\n", "\t\tif (value >= MAX_PORT)\n");
    String diff = git.git("diff", "-U40"); // enough context for the whole function
    var result = new DiffTargets(new Targets(new SourceTree(null, repo.resolve("data")))).read(diff);
    Target target = result.targets().stream().filter(t -> t.functionName().equals("parse_port")).findFirst().orElseThrow();
    assertThat(target.signature().body()).as("the whole function, read from the hunk's lines").contains("value >= MAX_PORT");
    assertThat(target.signature().parameters()).isNotEmpty();
    assertThat(target.change().excerpt()).anyMatch(line -> line.contains("value >= MAX_PORT"));
    assertThat(target.sourceNote()).contains("read from the diff itself");
  }
}
