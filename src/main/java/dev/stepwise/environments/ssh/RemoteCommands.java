package dev.stepwise.environments.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;

/**
 * Short commands of Stepwise's own on a remote machine (put a step's script in place, stop a
 * step's processes, check the connection): no terminal, output kept whole, a time limit. The
 * command texts are Stepwise's constants; what varies reaches them as data on standard input or as
 * checked arguments. Thread-safe (stateless).
 */
final class RemoteCommands {
  private static final int MAX_OUTPUT = 64 * 1024;

  private RemoteCommands() {}

  /**
   * How a command ended: its exit code, or {@code null} when the connection went away or the
   * time ran out first ({@code timedOut}).
   */
  record Result(Integer exitCode, String output, boolean timedOut) {
    boolean succeeded() {
      return exitCode != null && exitCode == 0;
    }

    String describe() {
      if (timedOut) return "no answer in time";
      if (exitCode == null) return "the connection closed";
      String said = output.strip();
      return "exit code " + exitCode + (said.isEmpty() ? "" : ": " + said.lines().findFirst().orElse(""));
    }
  }

  /** Runs {@code command} with {@code stdin} (or none) and waits up to {@code limit}. */
  static Result run(ClientSession session, String command, byte[] stdin, Duration limit) throws IOException {
    ChannelExec channel = exec(session, command);
    var output = new BoundedBuffer();
    channel.setOut(output);
    channel.setRedirectErrorStream(true);
    try {
      channel.open().verify(limit);
      // written at once and closed, which sends EOF (an InputStream given to the channel is polled)
      try (var in = channel.getInvertedIn()) {
        if (stdin != null) in.write(stdin);
      }
      Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), limit);
      return new Result(channel.getExitStatus(), output.text(), events.contains(ClientChannelEvent.TIMEOUT));
    } finally {
      channel.close(false).await(limit); // close(true) would leave the channel open on the server
    }
  }

  /**
   * A new exec channel on {@code session}. A session that is closing (its connection cut a moment
   * ago) refuses new channels with an unchecked exception; that is a connection gone, which callers
   * hear of as an {@link IOException} everywhere else.
   */
  static ChannelExec exec(ClientSession session, String command) throws IOException {
    try {
      return session.createExecChannel(command);
    } catch (IllegalStateException e) {
      throw new IOException("the connection is closing", e);
    }
  }

  /** Keeps the first {@link #MAX_OUTPUT} bytes; never closed by the channel for good. */
  private static final class BoundedBuffer extends ByteArrayOutputStream {
    @Override
    public synchronized void write(byte[] b, int off, int len) {
      int room = MAX_OUTPUT - size();
      if (room > 0) super.write(b, off, Math.min(room, len));
    }

    @Override
    public synchronized void write(int b) {
      if (size() < MAX_OUTPUT) super.write(b);
    }

    synchronized String text() {
      return toString(StandardCharsets.UTF_8);
    }
  }
}
