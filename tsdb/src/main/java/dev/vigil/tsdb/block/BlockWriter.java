package dev.vigil.tsdb.block;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.Series;
import dev.vigil.model.storage.SeriesSet;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.tsdb.chunkenc.Chunk;
import dev.vigil.tsdb.chunkenc.XorHistogramChunk;
import dev.vigil.tsdb.chunkenc.PackedFloatEncoder;
import dev.vigil.tsdb.chunkenc.XorChunk;
import dev.vigil.tsdb.chunks.ChunkSegmentFormat;
import dev.vigil.tsdb.chunks.ChunkSegmentWriter;
import dev.vigil.tsdb.fs.FileTrees;
import dev.vigil.tsdb.index.IndexWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Writes the samples of {@code [minT, maxT)} from a querier into a new block directory. Order:
 * chunks (streamed while reading series), index, then {@code meta.json} with the file lengths;
 * all inside {@code <id>.tmp}, fsynced, then renamed to {@code <id>}: a crash leaves either a
 * whole block or a {@code .tmp} directory that is never read as a block.
 */
public final class BlockWriter {
  private BlockWriter() {}

  public static BlockMeta write(Path blocksDir, String id, Querier source, long minT, long maxT,
      int samplesPerChunk) {
    return write(blocksDir, id, source, minT, maxT, samplesPerChunk, 1);
  }

  /** As above, recording {@code level} (1 for a block cut from the head, +1 per compaction). */
  public static BlockMeta write(Path blocksDir, String id, Querier source, long minT, long maxT,
      int samplesPerChunk, int level) {
    return write(blocksDir, id, source, minT, maxT, ChunkPolicy.xor(samplesPerChunk), level);
  }

  /** As above, with float chunks cut and encoded as {@code policy} says. */
  public static BlockMeta write(Path blocksDir, String id, Querier source, long minT, long maxT,
      ChunkPolicy policy, int level) {
    if (maxT <= minT) {
      throw new IllegalArgumentException("empty block range [" + minT + ", " + maxT + ")");
    }
    Path tmp = blocksDir.resolve(id + BlockFormat.TMP_SUFFIX);
    Path dst = blocksDir.resolve(id);
    try {
      Files.createDirectories(tmp);
      List<Labels> labels = new ArrayList<>();
      // Per series: minT..., maxT..., refs..., largest gaps... (4n).
      List<long[]> metas = new ArrayList<>();
      long samples = 0;
      long chunks = 0;
      long[] segLengths;
      try (ChunkSegmentWriter cw = new ChunkSegmentWriter(tmp.resolve(BlockFormat.CHUNKS),
          ChunkSegmentFormat.DEFAULT_MAX_SEGMENT_SIZE);
          ChunkCutter cut = new ChunkCutter(cw, policy)) {
        SeriesSet set = source.select(true, SelectHints.range(minT, maxT - 1), List.of());
        Labels prev = null;
        while (set.next()) {
          Series s = set.at();
          if (prev != null && prev.compareTo(s.labels()) >= 0) {
            throw new IllegalStateException("source series not sorted: " + s.labels()
                + " after " + prev);
          }
          prev = s.labels();
          cut.reset();
          SampleIterator it = s.iterator(null);
          for (ValueKind k = it.seek(minT); k != ValueKind.NONE && it.atT() < maxT; k = it.next()) {
            cut.add(k, it);
          }
          cut.flush();
          if (cut.n == 0) {
            continue;
          }
          labels.add(s.labels());
          long[] m = new long[cut.n * 4];
          System.arraycopy(cut.minTs, 0, m, 0, cut.n);
          System.arraycopy(cut.maxTs, 0, m, cut.n, cut.n);
          System.arraycopy(cut.refs, 0, m, 2 * cut.n, cut.n);
          System.arraycopy(cut.maxGaps, 0, m, 3 * cut.n, cut.n);
          metas.add(m);
          samples += cut.samples;
          chunks += cut.n;
        }
        segLengths = cw.finish();
      }
      TreeSet<String> symbols = new TreeSet<>();
      for (Labels l : labels) {
        for (int i = 0; i < l.size(); i++) {
          symbols.add(l.name(i));
          symbols.add(l.value(i));
        }
      }
      long indexLength;
      try (IndexWriter iw = new IndexWriter(tmp.resolve(BlockFormat.INDEX))) {
        iw.addSymbols(new ArrayList<>(symbols));
        for (int i = 0; i < labels.size(); i++) {
          long[] m = metas.get(i);
          int n = m.length / 4;
          iw.addSeries(labels.get(i), Arrays.copyOfRange(m, 0, n),
              Arrays.copyOfRange(m, n, 2 * n), Arrays.copyOfRange(m, 2 * n, 3 * n),
              Arrays.copyOfRange(m, 3 * n, 4 * n), n);
        }
        iw.finish();
        indexLength = iw.length();
      }
      BlockMeta meta = new BlockMeta(BlockMeta.VERSION_1, id, minT, maxT, labels.size(), samples,
          chunks, level, indexLength, segLengths);
      Path metaFile = tmp.resolve(BlockFormat.META);
      Files.writeString(metaFile, meta.toJson(), StandardCharsets.UTF_8,
          StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      try (FileChannel ch = FileChannel.open(metaFile, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      FileTrees.syncDirectory(tmp.resolve(BlockFormat.CHUNKS));
      FileTrees.syncDirectory(tmp);
      Files.move(tmp, dst, StandardCopyOption.ATOMIC_MOVE);
      FileTrees.syncDirectory(blocksDir);
      return meta;
    } catch (IOException e) {
      deleteLeftover(tmp);
      throw new UncheckedIOException("writing block " + tmp + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      deleteLeftover(tmp);
      throw e;
    }
  }

  /** A failed write (disk full...) must not keep holding the space its partial files take. */
  private static void deleteLeftover(Path tmp) {
    try {
      FileTrees.delete(tmp);
    } catch (IOException e) {
      // Opening the database sets aside whatever is left; the write's own error matters more.
    }
  }

  /**
   * Cuts one series' samples into chunks: histograms into histogram chunks, float runs into
   * packed chunks when the policy packs and that is smaller than XOR, else into XOR chunks. A new
   * chunk starts when one is full or the sample kind changes.
   */
  private static final class ChunkCutter implements AutoCloseable {
    /** Envelope (length, encoding, CRC) and index entry (min/max time, ref) of one chunk, about. */
    private static final int CHUNK_OVERHEAD_BYTES = 16;

    private final ChunkSegmentWriter out;
    private final ChunkPolicy policy;
    private final PackedFloatEncoder packer;
    private final int floatsPerChunk;
    long[] minTs = new long[8];
    long[] maxTs = new long[8];
    long[] refs = new long[8];
    long[] maxGaps = new long[8];
    int n;
    long samples;
    private XorHistogramChunk hist;
    private long histMin;
    private long histMax;
    private long histMaxGap;
    private long[] fts = new long[128];
    private double[] fvs = new double[128];
    private int fn;
    private final List<XorChunk> xors = new ArrayList<>();

    ChunkCutter(ChunkSegmentWriter out, ChunkPolicy policy) {
      this.out = out;
      this.policy = policy;
      this.packer = policy.packs() ? new PackedFloatEncoder() : null;
      this.floatsPerChunk = policy.packs() ? policy.packedSamplesPerChunk()
          : policy.xorSamplesPerChunk();
    }

    void reset() {
      n = 0;
      samples = 0;
      hist = null;
      fn = 0;
    }

    void add(ValueKind k, SampleIterator it) {
      long t = it.atT();
      if (k == ValueKind.HISTOGRAM) {
        flushFloats();
        if (hist != null && hist.numSamples() >= policy.xorSamplesPerChunk()) {
          flushHistograms();
        }
        if (hist == null) {
          hist = new XorHistogramChunk();
          histMin = t;
          histMaxGap = 0;
        } else {
          histMaxGap = Math.max(histMaxGap, t - histMax);
        }
        FloatHistogram h = it.atHistogram();
        hist.append(t, h);
        histMax = t;
      } else {
        flushHistograms();
        if (fn == fts.length) {
          fts = Arrays.copyOf(fts, fn * 2);
          fvs = Arrays.copyOf(fvs, fn * 2);
        }
        fts[fn] = t;
        fvs[fn++] = it.atF();
        if (fn == floatsPerChunk) {
          flushFloats();
        }
      }
      samples++;
    }

    void flush() {
      flushFloats();
      flushHistograms();
    }

    private void flushHistograms() {
      if (hist != null) {
        emit(hist, histMin, histMax, histMaxGap);
        hist = null;
      }
    }

    private void flushFloats() {
      if (fn == 0) {
        return;
      }
      xors.clear();
      long xorBytes = 0;
      int per = policy.xorSamplesPerChunk();
      for (int from = 0; from < fn; from += per) {
        XorChunk x = new XorChunk();
        for (int i = from; i < Math.min(fn, from + per); i++) {
          x.append(fts[i], fvs[i]);
        }
        x.trimToSize();
        xors.add(x);
        xorBytes += x.byteLength() + CHUNK_OVERHEAD_BYTES;
      }
      Chunk packed = packer == null ? null : packer.encode(fts, fvs, fn);
      if (packed != null && packed.byteLength() + CHUNK_OVERHEAD_BYTES <= xorBytes) {
        emit(packed, fts[0], fts[fn - 1], maxGap(fts, 0, fn));
      } else {
        for (int c = 0, from = 0; c < xors.size(); c++, from += per) {
          int to = Math.min(fn, from + per);
          emit(xors.get(c), fts[from], fts[to - 1], maxGap(fts, from, to));
        }
      }
      fn = 0;
    }

    /** The largest distance between consecutive timestamps of {@code ts[from, to)}. */
    private static long maxGap(long[] ts, int from, int to) {
      long gap = 0;
      for (int i = from + 1; i < to; i++) {
        gap = Math.max(gap, ts[i] - ts[i - 1]);
      }
      return gap;
    }

    private void emit(Chunk c, long min, long max, long maxGap) {
      if (n == refs.length) {
        minTs = Arrays.copyOf(minTs, n * 2);
        maxTs = Arrays.copyOf(maxTs, n * 2);
        refs = Arrays.copyOf(refs, n * 2);
        maxGaps = Arrays.copyOf(maxGaps, n * 2);
      }
      minTs[n] = min;
      maxTs[n] = max;
      refs[n] = out.write(c);
      maxGaps[n] = maxGap;
      n++;
    }

    @Override
    public void close() {
      if (packer != null) {
        packer.close();
      }
    }
  }
}
