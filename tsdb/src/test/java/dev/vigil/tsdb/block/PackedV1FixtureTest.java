package dev.vigil.tsdb.block;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.StaleNaN;
import dev.vigil.tsdb.TestDirectories;
import dev.vigil.tsdb.chunkenc.Encoding;
import dev.vigil.tsdb.contract.QueryableContract;
import dev.vigil.tsdb.head.CommitLog;
import dev.vigil.tsdb.head.Head;
import dev.vigil.tsdb.head.HeadOptions;
import dev.vigil.tsdb.index.IndexReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A block written before packed chunks v2 existed (its float chunks are {@code PACKED_FLOAT_V1},
 * DEFLATE-compressed) is committed under {@code testdata/packed-v1}; it must stay readable, and
 * rewriting it (as compaction does) turns its chunks into v2 with the same samples.
 */
class PackedV1FixtureTest {
  private static final Path FIXTURE =
      Path.of("src/test/resources/dev/vigil/tsdb/testdata/packed-v1/01M8AJDS005K4Q4M5W010CS5V7");

  @TempDir
  Path tmp;

  /** The samples the fixture was written from (the generator's formulas). */
  private static Head expected() {
    Head h = new Head(HeadOptions.defaults(), CommitLog.NONE);
    double gauge = 1;
    for (int i = 0; i < 1000; i++) {
      long t = i * 1000L + (i % 7 == 0 ? 3 : 0);
      gauge = Math.round((gauge + Math.sin(i * 0.37) * 0.8) * 100) / 100.0;
      Appender a = h.appender();
      a.append(0, Labels.of("__name__", "requests_total", "job", "api"), t,
          1000 + i * 7 + (i * i) % 5);
      a.append(0, Labels.of("__name__", "load", "job", "api"), t, gauge);
      a.append(0, Labels.of("__name__", "up", "job", "api"), t,
          i % 100 == 99 ? StaleNaN.VALUE : 1);
      a.commit();
    }
    return h;
  }

  private static List<String> dump(Querier q, long from, long to) {
    return QueryableContract.dump(q.select(true, SelectHints.range(from, to), List.of()));
  }

  @Test
  void packedV1BlockReadsBackAndRewritesAsV2() throws IOException {
    Head want = expected();
    Path v1 = TestDirectories.copyTree(FIXTURE, tmp.resolve("v1"));
    long[][] ranges = {{Long.MIN_VALUE, Long.MAX_VALUE}, {3, 3}, {400_000, 410_000},
        {999_000, 999_999}};
    try (Block b = Block.open(v1)) {
      assertThat(b.encodingUsage()).extracting(EncodingUsage::encoding)
          .containsExactly(Encoding.PACKED_FLOAT_V1);
      // Its index is version 1, without gaps: each chunk's span stands in for its largest gap.
      IndexReader.SeriesEntry e = b.index().series(0);
      for (int c = 0; c < e.refs().length; c++) {
        assertThat(e.maxGap()[c]).isEqualTo(e.maxT()[c] - e.minT()[c]);
      }
      for (long[] r : ranges) {
        try (Querier got = b.querier(r[0], r[1]); Querier exp = want.querier(r[0], r[1])) {
          assertThat(dump(got, r[0], r[1])).as("[%d, %d]", r[0], r[1])
              .isEqualTo(dump(exp, r[0], r[1])).isNotEmpty();
        }
      }
      try (Querier q = b.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
        BlockWriter.write(tmp, "V2", q, Long.MIN_VALUE, Long.MAX_VALUE,
            new ChunkPolicy(120, ChunkPolicy.DEFAULT_PACKED_SAMPLES), 1);
      }
    }
    try (Block b = Block.open(tmp.resolve("V2"))) {
      assertThat(b.encodingUsage()).extracting(EncodingUsage::encoding)
          .containsExactly(Encoding.PACKED_FLOAT_V2);
      // Timestamps 1 s apart, every seventh 3 ms late: the largest gap is 1003 ms.
      assertThat(b.index().series(0).maxGap()).containsOnly(1003L);
      for (long[] r : ranges) {
        try (Querier got = b.querier(r[0], r[1]); Querier exp = want.querier(r[0], r[1])) {
          assertThat(dump(got, r[0], r[1])).as("[%d, %d]", r[0], r[1])
              .isEqualTo(dump(exp, r[0], r[1]));
        }
      }
    }
  }
}
