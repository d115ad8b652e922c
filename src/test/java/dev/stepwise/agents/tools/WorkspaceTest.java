package dev.stepwise.agents.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file tools on a real directory, with real symlinks pointing in and out. */
class WorkspaceTest {
  @TempDir Path dir;
  private Workspace workspace;
  private Path outside;

  @BeforeEach
  void setUp() throws Exception {
    workspace = new Workspace(dir.resolve("ws"));
    outside = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outside.resolve("secret.txt"), "do not read");
  }

  @Test
  void filesAreWrittenReadAndListedInside() {
    assertThat(workspace.write("src/app/main.c", "int main(void) { return 0; }\n").refused()).isFalse();
    assertThat(workspace.read("src/app/main.c").output()).isEqualTo("int main(void) { return 0; }\n");
    assertThat(workspace.write("src/app/main.c", "changed").output()).isEqualTo("wrote 7 bytes to src/app/main.c");
    assertThat(workspace.list(".").output()).isEqualTo("src/\nsrc/app/\nsrc/app/main.c");
    assertThat(workspace.list("src/app").output()).isEqualTo("main.c");
  }

  @Test
  void absolutePathsDotDotAndMissingFilesAreRefused() {
    assertThat(workspace.read("/etc/passwd").output()).contains("absolute");
    assertThat(workspace.read("../outside/secret.txt").output()).contains("'..'");
    assertThat(workspace.read("a/../../outside/secret.txt").refused()).isTrue();
    assertThat(workspace.write("../escape.txt", "x").refused()).isTrue();
    assertThat(Files.exists(dir.resolve("escape.txt"))).isFalse();
    assertThat(workspace.list("..").refused()).isTrue();
    assertThat(workspace.read("nothing-here.txt").output()).contains("is not a file");
    assertThat(workspace.read("").refused()).isTrue();
  }

  @Test
  void symlinksThatLeadOutAreRefusedForReadingWritingAndListing() throws Exception {
    Files.createSymbolicLink(workspace.root().resolve("link.txt"), outside.resolve("secret.txt"));
    Files.createSymbolicLink(workspace.root().resolve("out"), outside);
    assertThat(workspace.read("link.txt").output()).contains("through a symlink");
    assertThat(workspace.read("out/secret.txt").output()).contains("through a symlink");
    assertThat(workspace.write("out/planted.txt", "x").refused()).isTrue();
    assertThat(Files.exists(outside.resolve("planted.txt"))).isFalse();
    assertThat(workspace.write("link.txt", "overwrite").refused()).isTrue();
    assertThat(Files.readString(outside.resolve("secret.txt"))).isEqualTo("do not read");
    assertThat(workspace.list("out").refused()).isTrue();
    // a listing of the workspace shows the links but does not follow them
    assertThat(workspace.list(".").output()).contains("out").doesNotContain("secret.txt");

    Files.writeString(workspace.root().resolve("real.txt"), "inside");
    Files.createSymbolicLink(workspace.root().resolve("alias.txt"), workspace.root().resolve("real.txt"));
    assertThat(workspace.read("alias.txt").output()).isEqualTo("inside");
  }

  @Test
  void largeAndBinaryFilesAreRefused() throws Exception {
    Files.write(workspace.root().resolve("blob.bin"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
    assertThat(workspace.read("blob.bin").output()).contains("not UTF-8");
    Files.write(workspace.root().resolve("big.txt"), new byte[(int) Workspace.MAX_READ_BYTES + 1]);
    assertThat(workspace.read("big.txt").output()).contains("larger than");
    assertThat(workspace.write("huge.txt", "x".repeat(Workspace.MAX_WRITE_CHARS + 1)).refused()).isTrue();
  }
}
