package dev.stepwise.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretBoxTest {
  @TempDir Path dataDir;

  @Test
  void a_sealed_value_opens_with_its_key_and_shows_nothing_of_itself() {
    var box = new SecretBox(KeyFile.load(null, dataDir, SecretBox.KEY_FILE, "the secret key"));
    String sealed = box.seal("hunter2-deploy-token");
    assertThat(sealed).startsWith("v1:").doesNotContain("hunter2");
    assertThat(box.seal("hunter2-deploy-token")).as("a fresh nonce each time").isNotEqualTo(sealed);
    assertThat(box.open(sealed)).isEqualTo("hunter2-deploy-token");
  }

  @Test
  void the_key_file_is_made_once_readable_by_its_owner_only() throws Exception {
    byte[] first = KeyFile.load(null, dataDir, SecretBox.KEY_FILE, "the secret key");
    assertThat(KeyFile.load(null, dataDir, SecretBox.KEY_FILE, "the secret key")).isEqualTo(first);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve(SecretBox.KEY_FILE))))
        .isEqualTo("rw-------");
  }

  @Test
  void another_key_or_an_altered_value_cannot_open_it() {
    var box = new SecretBox(new byte[32]);
    String sealed = box.seal("value");
    byte[] other = new byte[32];
    other[0] = 1;
    assertThatThrownBy(() -> new SecretBox(other).open(sealed)).isInstanceOf(SecretBox.Unreadable.class)
        .hasMessageContaining("STEPWISE_SECRET_KEY");
    String altered = sealed.substring(0, sealed.length() - 2) + (sealed.endsWith("A=") ? "B=" : "A=");
    assertThatThrownBy(() -> box.open(altered)).isInstanceOf(SecretBox.Unreadable.class);
    assertThatThrownBy(() -> box.open("plain")).isInstanceOf(SecretBox.Unreadable.class);
  }
}
