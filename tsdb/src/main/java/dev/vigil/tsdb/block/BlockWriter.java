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
import dev.vigil.tsdb.chunkenc.HistogramChunk;
import dev.vigil.tsdb.chunkenc.XorChunk;
import dev.vigil.tsdb.chunks.ChunkSegmentFormat;
import dev.vigil.tsdb.chunks.ChunkSegmentWriter;
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
    if (maxT <= minT) {
      throw new IllegalArgumentException("empty block range [" + minT + ", " + maxT + ")");
    }
    Path tmp = blocksDir.resolve(id + BlockFormat.TMP_SUFFIX);
    Path dst = blocksDir.resolve(id);
    try {
      Files.createDirectories(tmp);
      List<Labels> labels = new ArrayList<>();
      List<long[]> metas = new ArrayList<>(); // per series: minT..., maxT..., refs... (3n)
      long samples = 0;
      long chunks = 0;
      long[] segLengths;
      try (ChunkSegmentWriter cw = new ChunkSegmentWriter(tmp.resolve(BlockFormat.CHUNKS),
          ChunkSegmentFormat.DEFAULT_MAX_SEGMENT_SIZE)) {
        SeriesSet set = source.select(true, SelectHints.range(minT, maxT - 1), List.of());
        ChunkCutter cut = new ChunkCutter(cw, samplesPerChunk);
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
          long[] m = new long[cut.n * 3];
          System.arraycopy(cut.minTs, 0, m, 0, cut.n);
          System.arraycopy(cut.maxTs, 0, m, cut.n, cut.n);
          System.arraycopy(cut.refs, 0, m, 2 * cut.n, cut.n);
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
      IndexWriter iw = new IndexWriter(tmp.resolve(BlockFormat.INDEX));
      iw.addSymbols(new ArrayList<>(symbols));
      for (int i = 0; i < labels.size(); i++) {
        long[] m = metas.get(i);
        int n = m.length / 3;
        iw.addSeries(labels.get(i), Arrays.copyOfRange(m, 0, n), Arrays.copyOfRange(m, n, 2 * n),
            Arrays.copyOfRange(m, 2 * n, 3 * n), n);
      }
      iw.finish();
      BlockMeta meta = new BlockMeta(BlockMeta.VERSION_1, id, minT, maxT, labels.size(), samples,
          chunks, level, iw.length(), segLengths);
      Path metaFile = tmp.resolve(BlockFormat.META);
      Files.writeString(metaFile, meta.toJson(), StandardCharsets.UTF_8,
          StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      try (FileChannel ch = FileChannel.open(metaFile, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      syncDir(tmp.resolve(BlockFormat.CHUNKS));
      syncDir(tmp);
      Files.move(tmp, dst, StandardCopyOption.ATOMIC_MOVE);
      syncDir(blocksDir);
      return meta;
    } catch (IOException e) {
      throw new UncheckedIOException("writing block " + tmp, e);
    }
  }

  private static void syncDir(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Directories cannot be opened for sync on every platform; data files were forced.
    }
  }

  /** Cuts one series' samples into chunks (new chunk when full or when the kind changes). */
  private static final class ChunkCutter {
    private final ChunkSegmentWriter out;
    private final int perChunk;
    long[] minTs = new long[8];
    long[] maxTs = new long[8];
    long[] refs = new long[8];
    int n;
    long samples;
    private Chunk open;
    private long openMin;
    private long openMax;

    ChunkCutter(ChunkSegmentWriter out, int perChunk) {
      this.out = out;
      this.perChunk = perChunk;
    }

    void reset() {
      n = 0;
      samples = 0;
      open = null;
    }

    void add(ValueKind k, SampleIterator it) {
      boolean hist = k == ValueKind.HISTOGRAM;
      if (open != null && (open.numSamples() >= perChunk || (open instanceof HistogramChunk) != hist)) {
        flush();
      }
      long t = it.atT();
      if (open == null) {
        open = hist ? new HistogramChunk() : new XorChunk();
        openMin = t;
      }
      if (hist) {
        FloatHistogram h = it.atHistogram();
        ((HistogramChunk) open).append(t, h);
      } else {
        ((XorChunk) open).append(t, it.atF());
      }
      openMax = t;
      samples++;
    }

    void flush() {
      if (open == null) {
        return;
      }
      if (n == refs.length) {
        minTs = Arrays.copyOf(minTs, n * 2);
        maxTs = Arrays.copyOf(maxTs, n * 2);
        refs = Arrays.copyOf(refs, n * 2);
      }
      minTs[n] = openMin;
      maxTs[n] = openMax;
      refs[n] = out.write(open);
      n++;
      open = null;
    }
  }
}
