package dev.stepwise.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A small real filesystem (a tmpfs mounted for the test) that a test can fill up and free again:
 * for what a full disk does to the database. Mounting needs root, which CI has; elsewhere the
 * test that asks for one is not run, and says why.
 */
public final class SmallDisk implements AutoCloseable {
  private final Path mountPoint;
  private final Path filler;

  private SmallDisk(Path mountPoint) {
    this.mountPoint = mountPoint;
    this.filler = mountPoint.resolve("filler");
  }

  /**
   * Mounts {@code megabytes} of tmpfs.
   *
   * @param owner the user whose files it holds (the PostgreSQL server's, for a tablespace), or null for root
   */
  public static SmallDisk mount(int megabytes, String owner) throws Exception {
    Path dir = Files.createTempDirectory("stepwise-small-disk-");
    String options = "size=" + megabytes + "m,mode=0700" + (owner == null ? "" : ",uid=" + id("-u", owner) + ",gid="
        + id("-g", owner));
    int exit = run(List.of("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString()));
    assumeTrue(exit == 0, "this test mounts a small tmpfs to fill it, which needs root (CI runs as root)");
    return new SmallDisk(dir);
  }

  public Path path() {
    return mountPoint;
  }

  /** The file {@link #fill} writes and {@link #free} removes. */
  public Path filler() {
    return filler;
  }

  /** Writes a file until the disk has no room left. */
  public void fill() throws IOException {
    byte[] block = new byte[16 * 1024];
    try (OutputStream out = Files.newOutputStream(filler)) {
      while (true) out.write(block);
    } catch (IOException full) {
      // no space left on device: that is the point
    }
  }

  /** Gives the room back. */
  public void free() throws IOException {
    Files.deleteIfExists(filler);
  }

  @Override
  public void close() throws Exception {
    run(List.of("umount", "-l", mountPoint.toString()));
    Files.deleteIfExists(mountPoint);
  }

  private static String id(String flag, String user) throws Exception {
    Process process = new ProcessBuilder("id", flag, user).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes()).trim();
    process.waitFor(10, TimeUnit.SECONDS);
    return out;
  }

  private static int run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
  }
}
