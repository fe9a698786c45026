package dev.vigil.mixin.jb;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JbSumTest {
  @Test
  void hashesFileContentsInGoWalkOrder(@TempDir Path dir) throws Exception {
    // Walk order: "B" < "a" < "a.txt" < "a/..." is wrong; Go sorts names per directory:
    // [B, a, a.txt, b] and descends into "a" when it is reached.
    Files.createDirectories(dir.resolve("a/sub"));
    Files.writeString(dir.resolve("B"), "1");
    Files.writeString(dir.resolve("a/z"), "2");
    Files.writeString(dir.resolve("a/sub/x"), "3");
    Files.writeString(dir.resolve("a.txt"), "4");
    Files.writeString(dir.resolve("b"), "5");
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    for (String s : new String[] {"1", "3", "2", "4", "5"}) { // B, a/sub/x, a/z, a.txt, b
      sha.update(s.getBytes());
    }
    assertThat(JbSum.of(dir)).isEqualTo(Base64.getEncoder().encodeToString(sha.digest()));
  }

  @Test
  void emptyPackageIsTheHashOfNothing(@TempDir Path dir) {
    // sha256("") in base64: what jb writes for a package without files.
    assertThat(JbSum.of(dir)).isEqualTo("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  }
}
