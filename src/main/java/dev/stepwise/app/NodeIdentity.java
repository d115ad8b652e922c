package dev.stepwise.app;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Who this server process is among the nodes: an id kept in the data dir, so that after a crash
 * and restart the node recognises the executions it held and recovers them at once; and a lock on
 * the data dir, so that two processes never share one identity.
 */
final class NodeIdentity implements AutoCloseable {
  static final String ID_FILE = "node-id";
  static final String LOCK_FILE = "stepwise.lock";

  private final String nodeId;
  private final FileChannel channel;
  private final FileLock lock;

  private NodeIdentity(String nodeId, FileChannel channel, FileLock lock) {
    this.nodeId = nodeId;
    this.channel = channel;
    this.lock = lock;
  }

  /** @param configured an id from the settings, or {@code null} to keep one in the data dir */
  static NodeIdentity acquire(Path dataDir, String configured) {
    try {
      FileChannel channel = FileChannel.open(dataDir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        channel.close();
        throw new IllegalStateException("another Stepwise server is already using the data dir " + dataDir.toAbsolutePath()
            + "; stop it, or give this one its own --data-dir");
      }
      return new NodeIdentity(configured != null ? configured : storedId(dataDir), channel, lock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock the data dir " + dataDir, e);
    }
  }

  private static String storedId(Path dataDir) throws IOException {
    Path file = dataDir.resolve(ID_FILE);
    if (Files.exists(file)) {
      String id = Files.readString(file, StandardCharsets.US_ASCII).trim();
      if (!id.isEmpty()) return id;
    }
    byte[] random = new byte[4];
    new SecureRandom().nextBytes(random);
    String id = "node-" + HexFormat.of().formatHex(random);
    Files.writeString(file, id + "\n", StandardCharsets.US_ASCII);
    return id;
  }

  String nodeId() {
    return nodeId;
  }

  @Override
  public void close() throws IOException {
    lock.release();
    channel.close();
  }
}
