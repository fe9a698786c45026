package dev.vigil.tsdb.index;

import dev.vigil.model.labels.Labels;
import dev.vigil.tsdb.encoding.ByteSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.roaringbitmap.RoaringBitmap;

/**
 * Writes an index file (format: {@code FORMAT.md}) in stages: {@link #addSymbols} once, then
 * {@link #addSeries} in strictly increasing label order, then {@link #finish}. Calls out of
 * order throw {@link IllegalStateException}. Builds the file in memory (fine for the head-sized
 * blocks we cut; a streaming writer is future work) and fsyncs it. Not thread-safe.
 */
public final class IndexWriter {
  private enum Stage { SYMBOLS, SERIES, DONE }

  private final Path file;
  private Stage stage = Stage.SYMBOLS;
  private final ByteSink out = new ByteSink(1 << 16);
  private final long[] sectionStart = new long[IndexFormat.SECTIONS];
  private final HashMap<String, Integer> symbolRefs = new HashMap<>();
  private final ByteSink series = new ByteSink(1 << 16);
  private final List<Integer> seriesOffsets = new ArrayList<>();
  private final TreeMap<String, TreeMap<String, RoaringBitmap>> postings = new TreeMap<>();
  private Labels last;

  public IndexWriter(Path file) {
    this.file = file;
    out.putBE32(IndexFormat.MAGIC).putByte(IndexFormat.VERSION_CURRENT).putByte(0).putByte(0)
        .putByte(0);
  }

  /** All label names and values the series will use, sorted and distinct. */
  public void addSymbols(List<String> sorted) {
    expect(Stage.SYMBOLS, "addSymbols");
    int mark = beginSection(IndexFormat.SYMBOLS);
    out.putUvarint(sorted.size());
    String prev = null;
    for (int i = 0; i < sorted.size(); i++) {
      String s = sorted.get(i);
      if (prev != null && prev.compareTo(s) >= 0) {
        throw new IllegalArgumentException("symbols not sorted and distinct: " + prev + ", " + s);
      }
      symbolRefs.put(s, i);
      out.putUvarintString(s);
      prev = s;
    }
    endSection(mark);
    stage = Stage.SERIES;
  }

  /**
   * Adds the next series (id = number of series added before) with its chunks' time ranges
   * and references, {@code n} of them, sorted by time.
   */
  public void addSeries(Labels labels, long[] minT, long[] maxT, long[] refs, int n) {
    expect(Stage.SERIES, "addSeries");
    if (last != null && last.compareTo(labels) >= 0) {
      throw new IllegalStateException("series out of order: " + labels + " after " + last);
    }
    int id = seriesOffsets.size();
    seriesOffsets.add(series.length());
    series.putUvarint(labels.size());
    for (int i = 0; i < labels.size(); i++) {
      series.putUvarint(symbol(labels.name(i)));
      series.putUvarint(symbol(labels.value(i)));
      postings.computeIfAbsent(labels.name(i), k -> new TreeMap<>())
          .computeIfAbsent(labels.value(i), k -> new RoaringBitmap()).add(id);
    }
    series.putUvarint(n);
    for (int i = 0; i < n; i++) {
      if (maxT[i] < minT[i]) {
        throw new IllegalArgumentException("chunk " + i + " of " + labels + " ends before it starts");
      }
      series.putVarint(minT[i]);
      series.putUvarint(maxT[i] - minT[i]);
      series.putUvarint(refs[i]);
    }
    last = labels;
  }

  private int symbol(String s) {
    Integer ref = symbolRefs.get(s);
    if (ref == null) {
      throw new IllegalStateException("label string " + s + " missing from the symbols");
    }
    return ref;
  }

  /** Writes the remaining sections, TOC and footer, and fsyncs the file. */
  public void finish() {
    expect(Stage.SERIES, "finish");
    int mark = beginSection(IndexFormat.SERIES);
    out.putBytes(series.array(), 0, series.length());
    endSection(mark);

    mark = beginSection(IndexFormat.SERIES_OFFSETS);
    out.putBE32(seriesOffsets.size());
    for (int i = 0; i < seriesOffsets.size(); i++) {
      out.putBE32(seriesOffsets.get(i));
    }
    endSection(mark);

    // Postings, remembering where each list went for the table.
    mark = beginSection(IndexFormat.POSTINGS);
    int bodyStart = out.length();
    ByteSink table = new ByteSink();
    int entries = 0;
    for (Map.Entry<String, TreeMap<String, RoaringBitmap>> byName : postings.entrySet()) {
      for (Map.Entry<String, RoaringBitmap> e : byName.getValue().entrySet()) {
        RoaringBitmap bm = e.getValue();
        bm.runOptimize();
        byte[] bytes = new byte[bm.serializedSizeInBytes()];
        bm.serialize(ByteBuffer.wrap(bytes));
        table.putUvarint(symbol(byName.getKey()));
        table.putUvarint(symbol(e.getKey()));
        table.putUvarint(out.length() - bodyStart);
        table.putUvarint(bytes.length);
        out.putBytes(bytes, 0, bytes.length);
        entries++;
      }
    }
    endSection(mark);

    mark = beginSection(IndexFormat.POSTINGS_TABLE);
    out.putUvarint(entries);
    out.putBytes(table.array(), 0, table.length());
    endSection(mark);

    int tocStart = out.length();
    for (long s : sectionStart) {
      out.putBE64(s);
    }
    out.putBE32(out.crc32c(tocStart));
    out.putBE32(out.crc32c(0));
    stage = Stage.DONE;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE)) {
      ByteBuffer b = ByteBuffer.wrap(out.array(), 0, out.length());
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    } catch (IOException e) {
      throw new UncheckedIOException("writing index " + file, e);
    }
  }

  /** Bytes written by {@link #finish}. */
  public long length() {
    return out.length();
  }

  private int beginSection(int section) {
    sectionStart[section] = out.length();
    int mark = out.length();
    out.putBE32(0);
    return mark;
  }

  private void endSection(int mark) {
    int len = out.length() - mark - 4;
    out.setBE32(mark, len);
    out.putBE32(out.crc32c(mark + 4));
  }

  private void expect(Stage s, String call) {
    if (stage != s) {
      throw new IllegalStateException(call + " called in stage " + stage + ", expected " + s);
    }
  }
}
