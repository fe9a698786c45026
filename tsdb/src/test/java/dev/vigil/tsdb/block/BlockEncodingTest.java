package dev.vigil.tsdb.block;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.StaleNaN;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.tsdb.chunkenc.Encoding;
import dev.vigil.tsdb.chunkenc.HistogramChunk;
import dev.vigil.tsdb.chunks.ChunkSegmentFormat;
import dev.vigil.tsdb.chunks.ChunkSegmentWriter;
import dev.vigil.tsdb.index.IndexWriter;
import dev.vigil.tsdb.contract.QueryableContract;
import dev.vigil.tsdb.head.CommitLog;
import dev.vigil.tsdb.head.Head;
import dev.vigil.tsdb.head.HeadOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which chunk encodings blocks get, and that every mix reads back exactly. */
class BlockEncodingTest {
  @TempDir
  Path dir;

  /** Counters, gauges, constants, full-precision noise, stale markers and histograms. */
  private static Head mixedHead() {
    Head h = new Head(HeadOptions.defaults(), CommitLog.NONE);
    SplittableRandom r = new SplittableRandom(5);
    double[] v = new double[6];
    for (int t = 0; t < 3000; t++) {
      Appender a = h.appender();
      long ts = 1_700_000_000_000L + t * 15_000L + (t % 10 == 0 ? r.nextInt(5) : 0);
      v[0] += r.nextInt(20);
      v[1] = Math.round((v[1] + r.nextGaussian()) * 100) / 100.0;
      v[2] = 7;
      // 20 random mantissa bits off byte boundaries: no decimal form, and XOR (~22 bits a
      // sample) beats DEFLATE over raw values (~31 bits).
      v[3] = Double.longBitsToDouble(Double.doubleToRawLongBits(1000.0)
          | ((long) r.nextInt(1 << 20) << 20));
      v[4] = t % 500 == 499 ? StaleNaN.VALUE : t;
      for (int s = 0; s < 5; s++) {
        a.append(0, Labels.of("__name__", "m", "s", Integer.toString(s)), ts, v[s]);
      }
      Labels mixed = Labels.of("__name__", "mixed");
      if ((t / 700) % 2 == 0) {
        a.append(0, mixed, ts, t * 0.5);
      } else {
        a.appendHistogram(0, mixed, ts, QueryableContract.histogramForTest(t));
      }
      a.commit();
    }
    return h;
  }

  private static List<String> dump(Querier q) {
    return QueryableContract.dump(q.select(true,
        SelectHints.range(Long.MIN_VALUE, Long.MAX_VALUE), List.of()));
  }

  @Test
  void packedAndXorAndHistogramChunksMixInOneBlock() {
    Head h = mixedHead();
    List<String> want;
    try (Querier q = h.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      want = dump(q);
      BlockWriter.write(dir, "PACKED", q, Long.MIN_VALUE, Long.MAX_VALUE,
          new ChunkPolicy(120, 1000), 2);
    }
    try (Block b = Block.open(dir.resolve("PACKED")); Querier q = b.querier(Long.MIN_VALUE,
        Long.MAX_VALUE)) {
      assertThat(dump(q)).isEqualTo(want);
      List<EncodingUsage> usage = b.encodingUsage();
      assertThat(usage).extracting(EncodingUsage::encoding).containsExactly(Encoding.XOR,
          Encoding.FLOAT_HISTOGRAM_V3, Encoding.PACKED_FLOAT_V2);
      assertThat(usage.stream().mapToLong(EncodingUsage::samples).sum())
          .isEqualTo(b.meta().numSamples()).isEqualTo(6 * 3000);
      assertThat(usage.stream().mapToLong(EncodingUsage::chunks).sum())
          .isEqualTo(b.meta().numChunks());
      EncodingUsage xor = usage.get(0);
      assertThat(xor.samples()).as("only the full-precision series falls back to XOR")
          .isEqualTo(3000);
      // Each 1000-sample run falls back to XOR chunks of the head's size: 8 x 120 + 40.
      assertThat(xor.chunks()).as("XOR fallback keeps the head's chunk size").isEqualTo(3 * 9);
      EncodingUsage packed = usage.get(2);
      assertThat(packed.samples()).isEqualTo(4 * 3000 + 700 + 700 + 200);
      assertThat(packed.bytesPerSample()).isLessThan(1.0);
      assertThat(b.verify()).isEqualTo(b.meta().numChunks());
    }
  }

  @Test
  void xorOnlyBlocksAreWrittenAsBeforeAndReadAlike() {
    Head h = mixedHead();
    List<String> want;
    try (Querier q = h.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      want = dump(q);
      BlockWriter.write(dir, "XOR", q, Long.MIN_VALUE, Long.MAX_VALUE, 120);
    }
    try (Block b = Block.open(dir.resolve("XOR")); Querier q = b.querier(Long.MIN_VALUE,
        Long.MAX_VALUE)) {
      assertThat(dump(q)).isEqualTo(want);
      assertThat(b.encodingUsage()).extracting(EncodingUsage::encoding)
          .containsExactly(Encoding.XOR, Encoding.FLOAT_HISTOGRAM_V3);
      // The mixed series: kind changes at samples 700, 1400, 2100, 2800 also cut chunks.
      assertThat(b.meta().numChunks()).isEqualTo(5 * 25 + 6 + 6 + 6 + 6 + 2);
    }
  }

  @Test
  void rangeQueriesInsideLongPackedChunksSeeOnlyTheirSamples() {
    Head h = mixedHead();
    try (Querier q = h.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      BlockWriter.write(dir, "P", q, Long.MIN_VALUE, Long.MAX_VALUE, new ChunkPolicy(120, 2880),
          1);
    }
    SplittableRandom r = new SplittableRandom(9);
    try (Block b = Block.open(dir.resolve("P"))) {
      for (int i = 0; i < 50; i++) {
        long from = 1_700_000_000_000L + r.nextLong(3000 * 15_000L);
        long to = from + r.nextLong(600_000);
        try (Querier want = h.querier(from, to); Querier got = b.querier(from, to)) {
          assertThat(QueryableContract.dump(got.select(true, SelectHints.range(from, to),
              List.of()))).as("[%d, %d]", from, to).isEqualTo(QueryableContract.dump(
                  want.select(true, SelectHints.range(from, to), List.of())));
        }
      }
    }
  }

  @Test
  void blocksWithV1HistogramChunksStayReadableAndCompactionRewritesThemAsV3() throws IOException {
    // A block as an older version wrote it: one histogram series in v1 chunks.
    Path old = dir.resolve("OLD");
    Files.createDirectories(old);
    List<FloatHistogram> hs = new ArrayList<>();
    HistogramChunk[] chunks = {new HistogramChunk(), new HistogramChunk()};
    for (int t = 0; t < 240; t++) {
      hs.add(QueryableContract.histogramForTest(t));
      chunks[t / 120].append(t * 15_000L, hs.getLast());
    }
    long[] refs = new long[2];
    long[] segments;
    try (ChunkSegmentWriter cw = new ChunkSegmentWriter(old.resolve(BlockFormat.CHUNKS),
        ChunkSegmentFormat.DEFAULT_MAX_SEGMENT_SIZE)) {
      refs[0] = cw.write(chunks[0]);
      refs[1] = cw.write(chunks[1]);
      segments = cw.finish();
    }
    Labels series = Labels.of("__name__", "h");
    IndexWriter iw = new IndexWriter(old.resolve(BlockFormat.INDEX));
    iw.addSymbols(List.of("__name__", "h"));
    iw.addSeries(series, new long[] {0, 120 * 15_000L},
        new long[] {119 * 15_000L, 239 * 15_000L}, refs, new long[] {15_000L, 15_000L}, 2);
    iw.finish();
    Files.writeString(old.resolve(BlockFormat.META), new BlockMeta(BlockMeta.VERSION_1, "OLD", 0,
        240 * 15_000L, 1, 240, 2, 1, iw.length(), segments).toJson());

    List<String> want;
    try (Block b = Block.open(old); Querier q = b.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      assertThat(b.encodingUsage()).extracting(EncodingUsage::encoding)
          .containsExactly(Encoding.FLOAT_HISTOGRAM_V1);
      want = dump(q);
      assertThat(want).hasSize(1);
      BlockWriter.write(dir, "NEW", q, Long.MIN_VALUE, Long.MAX_VALUE, 120, 2);
    }
    try (Block b = Block.open(dir.resolve("NEW")); Querier q = b.querier(Long.MIN_VALUE,
        Long.MAX_VALUE)) {
      assertThat(b.encodingUsage()).extracting(EncodingUsage::encoding)
          .containsExactly(Encoding.FLOAT_HISTOGRAM_V3);
      assertThat(dump(q)).isEqualTo(want);
      assertThat(b.verify()).isEqualTo(2);
    }
  }
}
