package dev.vigil.tsdb.block;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.SeriesSet;
import dev.vigil.tsdb.chunks.ChunkSegmentFormat;
import dev.vigil.tsdb.contract.QueryableContract;
import dev.vigil.tsdb.encoding.CorruptDataException;
import dev.vigil.tsdb.head.CommitLog;
import dev.vigil.tsdb.head.Head;
import dev.vigil.tsdb.head.HeadOptions;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A block query decides from the index's largest gap per chunk whether a series has a sample in
 * range, reading the chunk only when the range may fall into a gap; the answer stays exact.
 */
class BlockQuerierGapTest {
  private static final long STEP = 15_000;
  private static final long GAP_FROM = 1_000_000;
  private static final long GAP_TO = 1_600_000;
  private static final long END = 3_000_000;

  @TempDir
  Path dir;

  /** "regular" every 15 s over [0, END]; "gappy" the same without [GAP_FROM, GAP_TO). */
  private static Head head() {
    Head h = new Head(HeadOptions.defaults(), CommitLog.NONE);
    for (long t = 0; t <= END; t += STEP) {
      Appender a = h.appender();
      a.append(0, Labels.of("__name__", "regular"), t, t / 1000.0);
      if (t < GAP_FROM || t >= GAP_TO) {
        a.append(0, Labels.of("__name__", "gappy"), t, t / 500.0);
      }
      a.commit();
    }
    return h;
  }

  /** One packed chunk per series, spanning the gap. */
  private Block write(Head h) {
    try (Querier q = h.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      BlockWriter.write(dir, "GAPS", q, 0, END + 1,
          new ChunkPolicy(120, ChunkPolicy.DEFAULT_PACKED_SAMPLES), 1);
    }
    return Block.open(dir.resolve("GAPS"));
  }

  private static List<String> names(Querier q, long from, long to, Matcher... ms) {
    List<String> out = new ArrayList<>();
    SeriesSet s = q.select(true, SelectHints.range(from, to), List.of(ms));
    while (s.next()) {
      out.add(s.at().labels().get("__name__"));
    }
    return out;
  }

  @Test
  void indexRecordsEachChunksLargestGap() {
    try (Block b = write(head())) {
      assertThat(b.index().series(0).labels().get("__name__")).isEqualTo("gappy");
      assertThat(b.index().series(0).maxGap()).containsExactly(GAP_TO - GAP_FROM + STEP);
      assertThat(b.index().series(1).maxGap()).containsExactly(STEP);
    }
  }

  @Test
  void seriesListMatchesTheSamplesForRandomRanges() {
    Head h = head();
    try (Block b = write(h)) {
      SplittableRandom r = new SplittableRandom(3);
      for (int i = 0; i < 2000; i++) {
        long from = r.nextLong(-STEP, END + STEP);
        // Short ranges (below one step) as often as long ones: those are what the gaps decide.
        long to = from + (r.nextBoolean() ? r.nextLong(2 * STEP) : r.nextLong(END / 2));
        try (Querier got = b.querier(from, to); Querier want = h.querier(from, to)) {
          assertThat(QueryableContract.dump(got.select(true, SelectHints.range(from, to),
              List.of()))).as("[%d, %d]", from, to)
              .isEqualTo(QueryableContract.dump(want.select(true, SelectHints.range(from, to),
                  List.of())));
        }
      }
    }
  }

  /**
   * Label names and values list series with a sample in range: from the postings when the
   * range covers the block, from the series when it does not or when tombstones deleted some.
   */
  @Test
  void labelsListOnlySeriesWithSamplesInRange() {
    Head h = head();
    Appender a = h.appender();
    a.append(0, Labels.of("__name__", "early", "only", "early"), 0, 1);
    a.commit();
    a = h.appender();
    a.append(0, Labels.of("__name__", "late"), END, 1);
    a.commit();
    try (Block b = write(h)) {
      try (Querier q = b.querier(0, END)) {
        assertThat(q.labelValues("__name__", List.of())).containsExactly("early", "gappy",
            "late", "regular");
        assertThat(q.labelNames(List.of())).containsExactly("__name__", "only");
        assertThat(q.labelValues("only", List.of(Matcher.equal("__name__", "early"))))
            .containsExactly("early");
      }
      try (Querier q = b.querier(STEP, END)) {
        assertThat(q.labelValues("__name__", List.of())).containsExactly("gappy", "late",
            "regular");
        assertThat(q.labelNames(List.of())).containsExactly("__name__");
      }
      try (Querier q = b.querier(0, END - 1)) {
        assertThat(q.labelValues("__name__", List.of())).containsExactly("early", "gappy",
            "regular");
      }
      // Deleted: all of "early", and "regular" from STEP on.
      b.delete(0, END, List.of(Matcher.equal("__name__", "early")));
      b.delete(STEP, END, List.of(Matcher.equal("__name__", "regular")));
      try (Querier q = b.querier(0, END)) {
        assertThat(q.labelValues("__name__", List.of())).containsExactly("gappy", "late",
            "regular");
        assertThat(q.labelNames(List.of())).containsExactly("__name__");
      }
      try (Querier q = b.querier(STEP, END)) {
        assertThat(q.labelValues("__name__", List.of())).containsExactly("gappy", "late");
      }
    }
  }

  @Test
  void chunksAreReadOnlyWhenTheRangeMayFallIntoAGap() throws IOException {
    Head h = head();
    write(h).close();
    // Damage every chunk: a select that reads one fails its CRC check.
    Path segment = dir.resolve("GAPS").resolve(BlockFormat.CHUNKS)
        .resolve(ChunkSegmentFormat.segmentName(1));
    try (RandomAccessFile f = new RandomAccessFile(segment.toFile(), "rw")) {
      for (long p = ChunkSegmentFormat.HEADER_SIZE + 8; p < f.length(); p += 64) {
        f.seek(p);
        f.write(0x5A);
      }
    }
    try (Block b = Block.open(dir.resolve("GAPS"))) {
      // Inside the chunks, away from their ends and longer than their gaps: no read needed.
      try (Querier q = b.querier(100_000, 900_000)) {
        assertThat(names(q, 100_000, 900_000)).containsExactly("gappy", "regular");
      }
      // Shorter than gappy's gap (which is elsewhere in its chunk): its chunk is read.
      try (Querier q = b.querier(100_000, 400_000)) {
        assertThatThrownBy(() -> names(q, 100_000, 400_000))
            .isInstanceOf(CorruptDataException.class);
      }
      try (Querier q = b.querier(1_100_000, 1_200_000)) {
        assertThat(names(q, 1_100_000, 1_200_000, Matcher.equal("__name__", "regular")))
            .containsExactly("regular");
      }
      // Inside the gap: only the chunk can tell whether "gappy" has a sample there.
      try (Querier q = b.querier(1_100_000, 1_200_000)) {
        assertThatThrownBy(() -> names(q, 1_100_000, 1_200_000))
            .isInstanceOf(CorruptDataException.class)
            .hasMessageContaining("checksum mismatch");
      }
    }
  }
}
