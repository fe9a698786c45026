package dev.vigil.collector.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.tsdb.encoding.CorruptDataException;
import dev.vigil.tsdb.encoding.UnsupportedFormatVersionException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PositionFileTest {
  @TempDir
  Path dir;

  @Test
  void writesAndReadsBack() {
    assertThat(PositionFile.read(dir)).isNull();
    PositionFile.write(dir, new WalPosition(7, 123_456));
    assertThat(PositionFile.read(dir)).isEqualTo(new WalPosition(7, 123_456));
    PositionFile.write(dir, new WalPosition(8, 8));
    assertThat(PositionFile.read(dir)).isEqualTo(new WalPosition(8, 8));
    assertThat(Files.exists(dir.resolve("position.tmp"))).isFalse();
  }

  @Test
  void goldenBytesMatchFormatMd() {
    // magic VRWP, version 1, 3 reserved, segment 2, offset 4096, CRC32C of the 20 bytes before.
    assertThat(HexFormat.of().formatHex(PositionFile.encode(new WalPosition(2, 4096))))
        .startsWith("565257500100000000000002" + "0000000000001000")
        .hasSize(48);
  }

  @Test
  void everyFlippedBitAndEveryTruncationIsRefused() {
    byte[] good = PositionFile.encode(new WalPosition(3, 999));
    for (int i = 0; i < good.length; i++) {
      for (int bit = 0; bit < 8; bit++) {
        byte[] bad = good.clone();
        bad[i] ^= (byte) (1 << bit);
        int at = i;
        assertThatThrownBy(() -> PositionFile.decode("pos", bad)).as("byte %d bit %d", at, bit)
            .isInstanceOf(CorruptDataException.class).hasMessageContaining("pos");
      }
    }
    for (int n = 0; n < good.length; n++) {
      byte[] cut = Arrays.copyOf(good, n);
      assertThatThrownBy(() -> PositionFile.decode("pos", cut))
          .isInstanceOf(CorruptDataException.class).hasMessageContaining("expected 24");
    }
  }

  @Test
  void otherVersionsAreNamed() {
    byte[] b = PositionFile.encode(new WalPosition(1, 8));
    b[4] = 2;
    assertThatThrownBy(() -> PositionFile.decode("pos", b))
        .isInstanceOf(UnsupportedFormatVersionException.class);
  }
}
