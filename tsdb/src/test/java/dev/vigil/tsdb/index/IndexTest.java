package dev.vigil.tsdb.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.MatchType;
import dev.vigil.model.labels.Matcher;
import dev.vigil.tsdb.encoding.CorruptDataException;
import dev.vigil.tsdb.encoding.UnsupportedFormatVersionException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexTest {
  @TempDir
  Path dir;

  private List<Labels> series(Random r, int n) {
    TreeSet<Labels> set = new TreeSet<>();
    while (set.size() < n) {
      set.add(Labels.of("__name__", "m" + r.nextInt(5), "pod", "p" + r.nextInt(1000),
          "zone", r.nextBoolean() ? "" : "z" + r.nextInt(3)));
    }
    return new ArrayList<>(set);
  }

  private Path write(List<Labels> ls, Random r) {
    Path f = dir.resolve("index-" + r.nextInt(1 << 30));
    TreeSet<String> symbols = new TreeSet<>();
    for (Labels l : ls) {
      l.forEach((k, v) -> {
        symbols.add(k);
        symbols.add(v);
      });
    }
    IndexWriter w = new IndexWriter(f);
    w.addSymbols(new ArrayList<>(symbols));
    for (int i = 0; i < ls.size(); i++) {
      w.addSeries(ls.get(i), new long[] {i, i + 10}, new long[] {i + 5, i + 20},
          new long[] {(1L << 32) | i, (1L << 32) | (i + 1000)}, new long[] {5, i % 11}, 2);
    }
    w.finish();
    return f;
  }

  @Test
  void roundTripsSeriesAndAnswersMatchersLikeABruteForceScan() {
    Random r = new Random(9);
    List<Labels> ls = series(r, 300);
    IndexReader ir = IndexReader.open(write(ls, r));
    assertThat(ir.numSeries()).isEqualTo(300);
    for (int i = 0; i < ls.size(); i++) {
      IndexReader.SeriesEntry e = ir.series(i);
      assertThat(e.labels()).isEqualTo(ls.get(i));
      assertThat(e.minT()).containsExactly(i, i + 10);
      assertThat(e.maxT()).containsExactly(i + 5, i + 20);
      assertThat(e.refs()).containsExactly((1L << 32) | i, (1L << 32) | (i + 1000));
      assertThat(e.maxGap()).containsExactly(5, i % 11);
    }
    assertThat(ir.labelNames()).containsExactly("__name__", "pod", "zone");
    String[] values = {"m1", "m2|m3", "p1.*", "", "z1", ".*", ".+", "z.|"};
    for (int q = 0; q < 200; q++) {
      List<Matcher> ms = new ArrayList<>();
      for (int k = 0; k <= r.nextInt(3); k++) {
        ms.add(Matcher.of(MatchType.values()[r.nextInt(4)],
            new String[] {"__name__", "pod", "zone", "nope"}[r.nextInt(4)], values[r.nextInt(values.length)]));
      }
      List<Integer> want = new ArrayList<>();
      for (int i = 0; i < ls.size(); i++) {
        boolean ok = true;
        for (Matcher m : ms) {
          ok &= m.matches(ls.get(i).get(m.name()));
        }
        if (ok) {
          want.add(i);
        }
      }
      List<Integer> got = new ArrayList<>();
      ir.select(ms).forEach((int id) -> got.add(id));
      assertThat(got).as(ms.toString()).isEqualTo(want);
    }
  }

  @Test
  void manySymbolsReadFromSeveralThreadsAtOnceDecodeAlike() throws Exception {
    // More symbols than the reader's cache has slots, read concurrently: entries are evicted
    // and replaced under the readers, who must still each get the right strings.
    Random r = new Random(12);
    TreeSet<Labels> set = new TreeSet<>();
    for (int i = 0; i < 20_000; i++) {
      set.add(Labels.of("__name__", "m" + (i % 7), "pod", "pod-" + Integer.toString(i * 7919, 36),
          "uid", Long.toHexString(r.nextLong())));
    }
    List<Labels> ls = new ArrayList<>(set);
    try (IndexReader ir = IndexReader.open(write(ls, r))) {
      TreeSet<String> pods = new TreeSet<>();
      ls.forEach(l -> pods.add(l.get("pod")));
      assertThat(ir.labelValues("pod")).containsExactlyElementsOf(pods);
      assertThat(ir.labelValues("nope")).isEmpty();
      assertThat(ir.postings("pod", "no-such-pod")).isNull();
      assertThat(ir.postings("nope", "x")).isNull();
      List<Thread> threads = new ArrayList<>();
      List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
      for (int t = 0; t < 4; t++) {
        long seed = t;
        threads.add(Thread.ofPlatform().start(() -> {
          Random tr = new Random(seed);
          try {
            for (int k = 0; k < 20_000; k++) {
              int id = tr.nextInt(ls.size());
              Labels want = ls.get(id);
              if (!ir.series(id).labels().equals(want)) {
                throw new AssertionError("series " + id + ": " + ir.series(id).labels() + " != " + want);
              }
              var p = ir.postings("uid", want.get("uid"));
              if (p == null || p.getCardinality() != 1 || !p.contains(id)) {
                throw new AssertionError("postings of uid of series " + id + ": " + p);
              }
            }
          } catch (Throwable e) {
            failures.add(e);
          }
        }));
      }
      for (Thread t : threads) {
        t.join();
      }
      assertThat(failures).isEmpty();
    }
  }

  @Test
  void anIndexWithoutSeriesOpensEmpty() {
    IndexWriter w = new IndexWriter(dir.resolve("empty"));
    w.addSymbols(List.of());
    w.finish();
    try (IndexReader ir = IndexReader.open(dir.resolve("empty"))) {
      assertThat(ir.numSeries()).isZero();
      assertThat(ir.labelNames()).isEmpty();
      assertThat(ir.labelValues("job")).isEmpty();
      assertThat(ir.all().isEmpty()).isTrue();
      assertThat(ir.select(List.of(Matcher.of(MatchType.REGEX, "job", ".*"))).isEmpty()).isTrue();
    }
  }

  @Test
  void closeUnmapsTheFileAndAFailedOpenLeavesNothingMapped() throws IOException {
    Random r = new Random(13);
    Path f = write(series(r, 50), r);
    IndexReader ir = IndexReader.open(f);
    assertThat(mapped(f)).as("mapped while open").isTrue();
    ir.close();
    assertThat(mapped(f)).as("mapped after close").isFalse();
    assertThatThrownBy(() -> ir.series(0)).isInstanceOf(IllegalStateException.class);

    byte[] bad = Files.readAllBytes(f);
    bad[bad.length / 2] ^= 1;
    Files.write(f, bad);
    assertThatThrownBy(() -> IndexReader.open(f)).isInstanceOf(CorruptDataException.class)
        .hasMessageContaining(f + " at offset");
    assertThat(mapped(f)).as("mapped after a failed open").isFalse();
  }

  private static boolean mapped(Path f) throws IOException {
    return Files.readAllLines(Path.of("/proc/self/maps")).stream()
        .anyMatch(l -> l.endsWith(f.toAbsolutePath().toString()));
  }

  @Test
  void everyFlippedByteAndEveryTruncationIsRejected() throws IOException {
    Random r = new Random(10);
    byte[] good = Files.readAllBytes(write(series(r, 5), r));
    for (int i = 0; i < good.length; i++) {
      byte[] bad = good.clone();
      bad[i] ^= 0x20;
      assertThatThrownBy(() -> IndexReader.of("idx", bad)).as("byte " + i)
          .isInstanceOf(CorruptDataException.class).hasMessageContaining("idx at offset");
    }
    for (int len = 0; len < good.length; len++) {
      byte[] cut = Arrays.copyOf(good, len);
      assertThatThrownBy(() -> IndexReader.of("idx", cut)).as("length " + len)
          .isInstanceOf(CorruptDataException.class);
    }
  }

  @Test
  void damageBehindValidChecksumsFailsCleanlyOrReadsConsistently() throws IOException {
    // A writer bug, not a disk error: bytes changed and every checksum recomputed. Opening and
    // reading must then either work or throw CorruptDataException, never anything else.
    Random r = new Random(14);
    byte[] good = Files.readAllBytes(write(series(r, 40), r));
    int refused = 0;
    for (int run = 0; run < 3000; run++) {
      byte[] bad = good.clone();
      for (int k = 0, n = 1 + r.nextInt(3); k < n; k++) {
        int at = IndexFormat.HEADER_SIZE + r.nextInt(bad.length - IndexFormat.HEADER_SIZE
            - IndexFormat.FOOTER_SIZE);
        bad[at] = (byte) (r.nextInt(4) == 0 ? 0xFF : bad[at] ^ (1 << r.nextInt(8)));
      }
      reseal(bad);
      try {
        IndexReader ir = IndexReader.of("resealed", bad);
        for (int id = 0; id < ir.numSeries(); id++) {
          ir.series(id);
        }
        for (String name : ir.labelNames()) {
          for (String value : ir.labelValues(name)) {
            ir.postings(name, value);
          }
        }
        ir.select(List.of(Matcher.of(MatchType.REGEX, "pod", "p1.*")));
      } catch (CorruptDataException expected) {
        refused++; // named and located: fine
      }
    }
    // Both outcomes occur: the damage reaches the structure, and not only in ways that fail.
    assertThat(refused).isBetween(300, 2700);
  }

  /** Recomputes every section CRC, the TOC CRC and the file CRC of an index in place. */
  private static void reseal(byte[] b) {
    java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b);
    int toc = b.length - IndexFormat.FOOTER_SIZE;
    for (int s = 0; s < IndexFormat.SECTIONS; s++) {
      long start = buf.getLong(toc + s * 8);
      if (start < 0 || start + 8 > toc) {
        continue;
      }
      long len = buf.getInt((int) start) & 0xFFFFFFFFL;
      if (start + 8 + len <= toc) {
        buf.putInt((int) (start + 4 + len),
            dev.vigil.tsdb.encoding.Crc32c.of(b, (int) start + 4, (int) len));
      }
    }
    buf.putInt(toc + IndexFormat.SECTIONS * 8,
        dev.vigil.tsdb.encoding.Crc32c.of(b, toc, IndexFormat.SECTIONS * 8));
    buf.putInt(b.length - 4, dev.vigil.tsdb.encoding.Crc32c.of(b, 0, b.length - 4));
  }

  @Test
  void newerVersionIsRefusedByName() throws IOException {
    Random r = new Random(11);
    byte[] b = Files.readAllBytes(write(series(r, 3), r));
    b[4] = 3;
    // Re-seal the file CRC so the version check is what fails.
    int crc = dev.vigil.tsdb.encoding.Crc32c.of(b, 0, b.length - 4);
    b[b.length - 4] = (byte) (crc >>> 24);
    b[b.length - 3] = (byte) (crc >>> 16);
    b[b.length - 2] = (byte) (crc >>> 8);
    b[b.length - 1] = (byte) crc;
    assertThatThrownBy(() -> IndexReader.of("idx", b))
        .isInstanceOf(UnsupportedFormatVersionException.class)
        .hasMessageContaining("version 3, this reader accepts [1, 2]");
  }

  @Test
  void writerRefusesAGapLongerThanItsChunk() {
    IndexWriter w = new IndexWriter(dir.resolve("gap"));
    w.addSymbols(List.of("a", "b"));
    assertThatThrownBy(() -> w.addSeries(Labels.of("a", "b"), new long[] {100}, new long[] {160},
        new long[] {8}, new long[] {61}, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("largest gap 61 outside [0, 60]");
    w.addSeries(Labels.of("a", "b"), new long[] {100}, new long[] {160}, new long[] {8},
        new long[] {60}, 1);
    w.finish();
  }

  @Test
  void writerEnforcesStageOrder() {
    IndexWriter w = new IndexWriter(dir.resolve("x"));
    assertThatThrownBy(() -> w.addSeries(Labels.of("a", "b"), new long[0], new long[0], new long[0], new long[0], 0))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("stage SYMBOLS");
    w.addSymbols(List.of("a", "b", "c"));
    w.addSeries(Labels.of("a", "c"), new long[0], new long[0], new long[0], new long[0], 0);
    assertThatThrownBy(() -> w.addSeries(Labels.of("a", "b"), new long[0], new long[0], new long[0], new long[0], 0))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("out of order");
    assertThatThrownBy(() -> w.addSeries(Labels.of("a", "z"), new long[0], new long[0], new long[0], new long[0], 0))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("missing from the symbols");
    w.finish();
    assertThatThrownBy(w::finish).isInstanceOf(IllegalStateException.class);
    // The refused series left no bytes behind: the index holds exactly the accepted one.
    IndexReader ir = IndexReader.open(dir.resolve("x"));
    assertThat(ir.numSeries()).isEqualTo(1);
    assertThat(ir.series(0).labels()).isEqualTo(Labels.of("a", "c"));
    ir.close();
  }

  /**
   * Every section far larger than the writer's 64 KiB buffer, so that lengths are patched and
   * checksums carried across many flushes; the reader verifies them all before it opens.
   */
  @Test
  void anIndexLargerThanTheWriteBufferStreamsAndReadsBack() {
    Random r = new Random(17);
    List<Labels> ls = new ArrayList<>();
    TreeSet<Labels> set = new TreeSet<>();
    for (int i = 0; i < 20_000; i++) {
      set.add(Labels.of("__name__", "metric_" + (i % 40), "container", "c" + (i % 7),
          "namespace", "ns-" + (i % 13), "pod", "pod-" + Long.toHexString(r.nextLong()) + "-" + i,
          "uid", Long.toHexString(r.nextLong()) + Long.toHexString(r.nextLong())));
    }
    ls.addAll(set);
    Path f = write(ls, r);
    IndexReader ir = IndexReader.open(f);
    assertThat(ir.numSeries()).isEqualTo(ls.size());
    for (int i = 0; i < ls.size(); i++) {
      IndexReader.SeriesEntry e = ir.series(i);
      assertThat(e.labels()).isEqualTo(ls.get(i));
      assertThat(e.refs()).containsExactly((1L << 32) | i, (1L << 32) | (i + 1000));
    }
    List<Integer> got = new ArrayList<>();
    ir.select(List.of(Matcher.of(MatchType.EQUAL, "namespace", "ns-5"))).forEach(
        (int id) -> got.add(id));
    List<Integer> want = new ArrayList<>();
    for (int i = 0; i < ls.size(); i++) {
      if (ls.get(i).get("namespace").equals("ns-5")) {
        want.add(i);
      }
    }
    assertThat(got).isEqualTo(want);
    ir.close();
  }

  /**
   * The writer streams the file: two indexes of the same series, one with 60 chunks per series
   * instead of 1, differ by megabytes of series entries and by almost nothing in what writing
   * them allocates (built in memory, the file cost about 6 times its size in allocations).
   */
  @Test
  void theSeriesEntriesAreStreamedNotHeld() {
    Random r = new Random(23);
    List<Labels> ls = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      ls.add(Labels.of("__name__", "m" + (i % 10), "pod", String.format("pod-%08d-%s", i,
          Long.toHexString(r.nextLong()))));
    }
    ls.sort(null);
    TreeSet<String> symbols = new TreeSet<>();
    for (Labels l : ls) {
      l.forEach((k, v) -> {
        symbols.add(k);
        symbols.add(v);
      });
    }
    List<String> sorted = new ArrayList<>(symbols);
    long[] one = writeMeasured(ls, sorted, 1);
    long[] many = writeMeasured(ls, sorted, 60);
    long moreBytes = many[0] - one[0];
    long moreAllocated = many[1] - one[1];
    assertThat(moreBytes).isGreaterThan(5_000_000);
    assertThat(moreAllocated).as("extra allocation for %d extra bytes of series", moreBytes)
        .isLessThan(moreBytes / 20);
  }

  /** Writes an index with {@code chunks} chunks per series; returns its size and allocations. */
  private long[] writeMeasured(List<Labels> ls, List<String> symbols, int chunks) {
    long[] minT = new long[chunks];
    long[] maxT = new long[chunks];
    long[] refs = new long[chunks];
    long[] gaps = new long[chunks];
    for (int c = 0; c < chunks; c++) {
      minT[c] = c * 1000L;
      maxT[c] = c * 1000L + 999;
      refs[c] = (1L << 32) | (c * 4096L);
    }
    var threads = (com.sun.management.ThreadMXBean)
        java.lang.management.ManagementFactory.getThreadMXBean();
    Path f = dir.resolve("measured-" + chunks);
    long a0 = threads.getCurrentThreadAllocatedBytes();
    long size;
    try (IndexWriter w = new IndexWriter(f)) {
      w.addSymbols(symbols);
      for (Labels l : ls) {
        w.addSeries(l, minT, maxT, refs, gaps, chunks);
      }
      w.finish();
      size = w.length();
    }
    return new long[] {size, threads.getCurrentThreadAllocatedBytes() - a0};
  }
}
