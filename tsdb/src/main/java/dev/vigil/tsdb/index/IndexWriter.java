package dev.vigil.tsdb.index;

import dev.vigil.model.labels.Labels;
import dev.vigil.tsdb.encoding.ByteSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.roaringbitmap.RoaringBitmap;

/**
 * Writes an index file (format: {@code FORMAT.md}) in stages: {@link #addSymbols} once, then
 * {@link #addSeries} in strictly increasing label order, then {@link #finish}. Calls out of
 * order throw {@link IllegalStateException}. The file is streamed as it is written
 * ({@link SectionedFileOutput}): the writer holds 4 bytes per series (its offset) and the
 * postings until {@link #finish}, not the file. {@link #close} releases the file when a write
 * is abandoned. Not thread-safe.
 */
public final class IndexWriter implements AutoCloseable {
  private enum Stage { SYMBOLS, SERIES, DONE }

  private final Path file;
  private final SectionedFileOutput out;
  private final ByteSink sink;
  private Stage stage = Stage.SYMBOLS;
  private final long[] sectionStart = new long[IndexFormat.SECTIONS];
  private final HashMap<String, Integer> symbolRefs = new HashMap<>();
  private long seriesBodyStart;
  private int[] seriesOffsets = new int[1024];
  private int numSeries;
  private int[] symbolScratch = new int[32];
  private final TreeMap<String, TreeMap<String, RoaringBitmap>> postings = new TreeMap<>();
  private Labels last;
  private long length = -1;

  /** Creates {@code file}, which must not exist. */
  public IndexWriter(Path file) {
    this.file = file;
    try {
      out = new SectionedFileOutput(file);
    } catch (IOException e) {
      throw new UncheckedIOException("creating index " + file, e);
    }
    sink = out.sink();
    sink.putBE32(IndexFormat.MAGIC).putByte(IndexFormat.VERSION_CURRENT).putByte(0).putByte(0)
        .putByte(0);
  }

  /** All label names and values the series will use, sorted and distinct. */
  public void addSymbols(List<String> sorted) {
    expect(Stage.SYMBOLS, "addSymbols");
    try {
      sectionStart[IndexFormat.SYMBOLS] = out.beginSection();
      sink.putUvarint(sorted.size());
      String prev = null;
      for (int i = 0; i < sorted.size(); i++) {
        String s = sorted.get(i);
        if (prev != null && prev.compareTo(s) >= 0) {
          throw new IllegalArgumentException("symbols not sorted and distinct: " + prev + ", "
              + s);
        }
        symbolRefs.put(s, i);
        sink.putUvarintString(s);
        out.maybeFlush();
        prev = s;
      }
      out.endSection();
      sectionStart[IndexFormat.SERIES] = out.beginSection();
      seriesBodyStart = out.position();
    } catch (IOException e) {
      throw failed(e);
    }
    stage = Stage.SERIES;
  }

  /**
   * Adds the next series (id = number of series added before) with its chunks' time ranges,
   * references and largest gaps between consecutive samples ({@code maxT - minT} when not
   * known: it is an upper bound), {@code n} of them, sorted by time.
   */
  public void addSeries(Labels labels, long[] minT, long[] maxT, long[] refs, long[] maxGap,
      int n) {
    expect(Stage.SERIES, "addSeries");
    if (last != null && last.compareTo(labels) >= 0) {
      throw new IllegalStateException("series out of order: " + labels + " after " + last);
    }
    for (int i = 0; i < n; i++) {
      if (maxT[i] < minT[i]) {
        throw new IllegalArgumentException("chunk " + i + " of " + labels + " ends before it starts");
      }
      if (maxGap[i] < 0 || maxGap[i] > maxT[i] - minT[i]) {
        throw new IllegalArgumentException("chunk " + i + " of " + labels + ": largest gap "
            + maxGap[i] + " outside [0, " + (maxT[i] - minT[i]) + "], the chunk's time span");
      }
    }
    // Everything is checked before the first byte of the entry: a refused series leaves no trace.
    if (symbolScratch.length < 2 * labels.size()) {
      symbolScratch = new int[2 * labels.size()];
    }
    for (int i = 0; i < labels.size(); i++) {
      symbolScratch[2 * i] = symbol(labels.name(i));
      symbolScratch[2 * i + 1] = symbol(labels.value(i));
    }
    long offset = out.position() - seriesBodyStart;
    if (offset > Integer.MAX_VALUE) {
      throw new IllegalStateException("index " + file + ": series section past the format's 2 GiB"
          + " at series " + numSeries + " (" + labels + ")");
    }
    int id = numSeries;
    if (id == seriesOffsets.length) {
      seriesOffsets = Arrays.copyOf(seriesOffsets, id + (id >> 1));
    }
    seriesOffsets[id] = (int) offset;
    numSeries = id + 1;
    sink.putUvarint(labels.size());
    for (int i = 0; i < labels.size(); i++) {
      sink.putUvarint(symbolScratch[2 * i]);
      sink.putUvarint(symbolScratch[2 * i + 1]);
      postings.computeIfAbsent(labels.name(i), k -> new TreeMap<>())
          .computeIfAbsent(labels.value(i), k -> new RoaringBitmap()).add(id);
    }
    sink.putUvarint(n);
    for (int i = 0; i < n; i++) {
      sink.putVarint(minT[i]);
      sink.putUvarint(maxT[i] - minT[i]);
      sink.putUvarint(refs[i]);
      sink.putUvarint(maxGap[i]);
    }
    last = labels;
    try {
      out.maybeFlush();
    } catch (IOException e) {
      throw failed(e);
    }
  }

  private int symbol(String s) {
    Integer ref = symbolRefs.get(s);
    if (ref == null) {
      throw new IllegalStateException("label string " + s + " missing from the symbols");
    }
    return ref;
  }

  /** Writes the remaining sections, TOC and footer, fsyncs the file and closes it. */
  public void finish() {
    expect(Stage.SERIES, "finish");
    try {
      out.endSection();

      sectionStart[IndexFormat.SERIES_OFFSETS] = out.beginSection();
      sink.putBE32(numSeries);
      for (int i = 0; i < numSeries; i++) {
        sink.putBE32(seriesOffsets[i]);
        out.maybeFlush();
      }
      out.endSection();

      // Postings, remembering where each list went for the table.
      sectionStart[IndexFormat.POSTINGS] = out.beginSection();
      long bodyStart = out.position();
      ByteSink table = new ByteSink();
      int entries = 0;
      for (Map.Entry<String, TreeMap<String, RoaringBitmap>> byName : postings.entrySet()) {
        for (Map.Entry<String, RoaringBitmap> e : byName.getValue().entrySet()) {
          RoaringBitmap bm = e.getValue();
          bm.runOptimize();
          int size = bm.serializedSizeInBytes();
          table.putUvarint(symbol(byName.getKey()));
          table.putUvarint(symbol(e.getKey()));
          table.putUvarint(out.position() - bodyStart);
          table.putUvarint(size);
          int at = sink.reserve(size);
          bm.serialize(ByteBuffer.wrap(sink.array(), at, size));
          sink.setLength(at + size);
          out.maybeFlush();
          entries++;
        }
      }
      out.endSection();

      sectionStart[IndexFormat.POSTINGS_TABLE] = out.beginSection();
      sink.putUvarint(entries);
      sink.putBytes(table.array(), 0, table.length());
      out.endSection();

      ByteSink toc = new ByteSink(8 * IndexFormat.SECTIONS + 4);
      for (long s : sectionStart) {
        toc.putBE64(s);
      }
      toc.putBE32(toc.crc32c(0));
      sink.putBytes(toc.array(), 0, toc.length());
      length = out.finish();
    } catch (IOException e) {
      throw failed(e);
    } finally {
      stage = Stage.DONE;
      closeQuietly();
    }
  }

  /** Bytes written by {@link #finish}. */
  public long length() {
    if (length < 0) {
      throw new IllegalStateException("index " + file + " not finished");
    }
    return length;
  }

  /** Closes the file; an unfinished index is left incomplete (the caller deletes it). */
  @Override
  public void close() {
    stage = Stage.DONE;
    closeQuietly();
  }

  private void closeQuietly() {
    try {
      out.close();
    } catch (IOException e) {
      // Nothing was lost: finish forced the file before, or the write is being abandoned.
    }
  }

  private UncheckedIOException failed(IOException e) {
    return new UncheckedIOException("writing index " + file, e);
  }

  private void expect(Stage s, String call) {
    if (stage != s) {
      throw new IllegalStateException(call + " called in stage " + stage + ", expected " + s);
    }
  }
}
