package dev.vigil.tsdb.wal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code cut} file of a checkpoint: written by a cut, absent otherwise, never fatal. */
class WalCheckpointCutTest {
  @TempDir
  Path dir;

  private WalCheckpoint.Found checkpoint(int n, long cutEnd) {
    WalCheckpoint.begin(dir, n, WalOptions.defaults()).close();
    WalCheckpoint.finish(dir, n, cutEnd);
    return WalCheckpoint.latest(dir);
  }

  @Test
  void aCutsEndIsReadBackAndOtherCheckpointsHaveNone() throws IOException {
    WalCheckpoint.Found cut = checkpoint(3, 7_200_000L);
    assertThat(cut.lastSegment()).isEqualTo(3);
    assertThat(cut.cutEnd()).isEqualTo(7_200_000L);
    assertThat(cut.dir().resolve(WalCheckpoint.CUT_FILE)).exists();
    assertThat(WalReader.segments(cut.dir())).as("the writer's segment only: the file is none")
        .containsExactly(1);
    WalCheckpoint.Found plain = checkpoint(4, Long.MIN_VALUE);
    assertThat(plain.lastSegment()).isEqualTo(4);
    assertThat(plain.cutEnd()).isEqualTo(Long.MIN_VALUE);
  }

  @Test
  void anUnreadableCutFileBoundsNothingAndDoesNotFail() throws IOException {
    WalCheckpoint.Found cut = checkpoint(2, -5_000L);
    assertThat(cut.cutEnd()).isEqualTo(-5_000L);
    Files.writeString(cut.dir().resolve(WalCheckpoint.CUT_FILE), "12x\n");
    assertThat(WalCheckpoint.latest(dir).cutEnd()).isEqualTo(Long.MIN_VALUE);
  }
}
