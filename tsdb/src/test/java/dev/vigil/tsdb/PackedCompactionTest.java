package dev.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.tsdb.block.EncodingUsage;
import dev.vigil.tsdb.chunkenc.Encoding;
import dev.vigil.tsdb.contract.QueryableContract;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cut and compacted blocks get packed chunks; the data read back does not change. */
class PackedCompactionTest {
  @TempDir
  Path dir;

  private static void load(Tsdb db, long from, long to) {
    SplittableRandom r = new SplittableRandom(from);
    for (long t = from; t < to; t += 15) {
      Appender a = db.appender();
      for (int s = 0; s < 30; s++) {
        double v = switch (s % 3) {
          case 0 -> t / 15 * (s + 1) + r.nextInt(3);
          case 1 -> Math.round(r.nextGaussian() * 1000) / 100.0;
          default -> 1;
        };
        a.append(0, Labels.of("__name__", "m" + s % 3, "s", Integer.toString(s)), t, v);
      }
      a.commit();
    }
  }

  private static List<String> all(Tsdb db) {
    try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      return QueryableContract.dump(q.select(true,
          SelectHints.range(Long.MIN_VALUE, Long.MAX_VALUE), List.of()));
    }
  }

  @Test
  void compactionWritesPackedChunksAndQueriesAgree() {
    TsdbOptions o = TsdbOptions.defaults().withBlockRangeMs(1000);
    List<String> beforeCompaction;
    try (Tsdb db = Tsdb.open(dir, o.withPackedSamplesPerChunk(0))) {
      load(db, 0, 5000);
      db.cutBlocks();
      Analysis an = Analysis.of(db, 3);
      assertThat(an.encodingTotals()).extracting(EncodingUsage::encoding)
          .as("packing off: blocks hold XOR chunks as Prometheus").containsExactly(Encoding.XOR);
      beforeCompaction = all(db);
    }
    try (Tsdb db = Tsdb.open(dir, o)) {
      assertThat(all(db)).isEqualTo(beforeCompaction);
      load(db, 5000, 13_000);
      db.cutBlocks();
      List<String> beforeSecond = all(db);
      assertThat(db.compact()).isNotEmpty();
      assertThat(all(db)).isEqualTo(beforeSecond);
      assertThat(beforeSecond.getFirst()).startsWith(beforeCompaction.getFirst().substring(0, 200));
      Analysis an = Analysis.of(db, 3);
      List<EncodingUsage> totals = an.encodingTotals();
      assertThat(totals).extracting(EncodingUsage::encoding)
          .containsExactly(Encoding.PACKED_FLOAT_V2);
      EncodingUsage packed = totals.getFirst();
      long blockSamples = an.blocks().stream().mapToLong(Analysis.BlockSummary::samples).sum();
      assertThat(packed.samples()).isEqualTo(blockSamples);
      for (Analysis.BlockSummary b : an.blocks()) {
        assertThat(b.encodings()).as("block %s level %d", b.ulid(), b.level())
            .extracting(EncodingUsage::encoding).containsExactly(Encoding.PACKED_FLOAT_V2);
      }
    }
    try (Tsdb db = Tsdb.open(dir, o)) {
      assertThat(all(db).getFirst()).startsWith(beforeCompaction.getFirst().substring(0, 200));
    }
  }
}
