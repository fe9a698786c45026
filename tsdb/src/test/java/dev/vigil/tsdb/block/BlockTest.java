package dev.vigil.tsdb.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Querier;
import dev.vigil.tsdb.encoding.CorruptDataException;
import dev.vigil.tsdb.head.CommitLog;
import dev.vigil.tsdb.head.Head;
import dev.vigil.tsdb.head.HeadOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockTest {
  @TempDir
  Path dir;

  private BlockMeta writeBlock(String id, long minT, long maxT) {
    Head h = new Head(HeadOptions.defaults(), CommitLog.NONE);
    Appender a = h.appender();
    for (int s = 0; s < 20; s++) {
      for (int t = 0; t < 1000; t++) {
        a.append(0, Labels.of("__name__", "m", "s", Integer.toString(s)), t * 1000L, t % 7);
      }
    }
    a.commit();
    try (Querier q = h.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      return BlockWriter.write(dir, id, q, minT, maxT, 120);
    }
  }

  @Test
  void metaRoundTripsAndRecordsWhatWasWritten() throws IOException {
    BlockMeta m = writeBlock("B1", 100_000, 600_000);
    assertThat(m.numSeries()).isEqualTo(20);
    assertThat(m.numSamples()).isEqualTo(20 * 500);
    assertThat(m.numChunks()).isEqualTo(20 * 5);
    String json = Files.readString(dir.resolve("B1").resolve(BlockFormat.META));
    BlockMeta back = BlockMeta.fromJson("meta", json);
    assertThat(back.toJson()).isEqualTo(json);
    assertThat(back.chunkSegmentLengths()).containsExactly(m.chunkSegmentLengths());
    try (Block b = Block.open(dir.resolve("B1"))) {
      assertThat(b.verify()).isEqualTo(100);
    }
    assertThatThrownBy(() -> BlockMeta.fromJson("meta", json.replace("\"version\": 1", "\"version\": 2")))
        .hasMessageContaining("unsupported format version 2");
    assertThatThrownBy(() -> BlockMeta.fromJson("meta", json.replace("numChunks", "numFoo")))
        .isInstanceOf(CorruptDataException.class).hasMessageContaining("unknown stats key numFoo");
  }

  @Test
  void missingOrDamagedFilesAreReportedNotServed() throws IOException {
    writeBlock("B2", 0, 1_000_000);
    Path b = dir.resolve("B2");
    Path chunk = b.resolve(BlockFormat.CHUNKS).resolve("000001");
    byte[] good = Files.readAllBytes(chunk);
    Files.write(chunk, java.util.Arrays.copyOf(good, good.length - 1));
    assertThatThrownBy(() -> Block.open(b)).isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("meta says");
    byte[] flipped = good.clone();
    flipped[good.length / 2] ^= 1;
    Files.write(chunk, flipped);
    try (Block open = Block.open(b)) {
      assertThatThrownBy(open::verify).isInstanceOf(CorruptDataException.class)
          .hasMessageContaining("checksum");
    }
    Files.write(chunk, good);
    Path index = b.resolve(BlockFormat.INDEX);
    byte[] idx = Files.readAllBytes(index);
    idx[idx.length / 2] ^= 1;
    Files.write(index, idx);
    assertThatThrownBy(() -> Block.open(b)).isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("index checksum mismatch");
    Files.delete(b.resolve(BlockFormat.META));
    assertThatThrownBy(() -> Block.open(b)).isInstanceOf(CorruptDataException.class)
        .hasMessageContaining("no meta.json");
  }

  @Test
  void ulidsSortByTime() {
    SplittableRandom r = new SplittableRandom(1);
    String a = Ulid.generate(1_700_000_000_000L, r);
    String b = Ulid.generate(1_700_000_000_001L, r);
    assertThat(a).hasSize(26).isLessThan(b).matches("[0-9A-HJKMNP-TV-Z]{26}");
  }
}
