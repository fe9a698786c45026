package dev.vigil.tsdb.index;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.Matcher;
import dev.vigil.tsdb.encoding.ByteSource;
import dev.vigil.tsdb.encoding.CorruptDataException;
import dev.vigil.tsdb.encoding.Crc32c;
import dev.vigil.tsdb.encoding.UnsupportedFormatVersionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import org.roaringbitmap.RoaringBitmap;

/**
 * Reads an index file written by {@link IndexWriter}. Opening reads the file into memory and
 * verifies everything before exposing anything: whole-file CRC32C, magic, version in [1, 1],
 * TOC CRC, each section's length and CRC. Postings are deserialised on demand. Thread-safe
 * (immutable after open).
 */
public final class IndexReader implements LabelIndex {
  private final String name;
  private final byte[] data;
  private final String[] symbols;
  private final int seriesBody; // offset of the series section body
  private final int seriesEnd;
  private final int[] seriesOffsets;
  private final int postingsBody;
  private final int postingsEnd;
  /** label name → values sorted, with postings offset/length (relative to postingsBody). */
  private final HashMap<String, Values> table = new HashMap<>();

  private record Values(String[] values, int[] offsets, int[] lengths) {}

  /** A series' labels and chunk metadata. */
  public record SeriesEntry(Labels labels, long[] minT, long[] maxT, long[] refs) {}

  private IndexReader(String name, byte[] data) {
    this.name = name;
    this.data = data;
    if (data.length < IndexFormat.HEADER_SIZE + IndexFormat.FOOTER_SIZE) {
      throw new CorruptDataException(name, 0, "index of " + data.length
          + " bytes is shorter than header and footer (" + (IndexFormat.HEADER_SIZE
          + IndexFormat.FOOTER_SIZE) + ")");
    }
    int stored = be32(data.length - 4);
    int computed = Crc32c.of(data, 0, data.length - 4);
    if (stored != computed) {
      throw new CorruptDataException(name, data.length - 4, "index checksum mismatch: stored 0x"
          + Integer.toHexString(stored) + ", computed 0x" + Integer.toHexString(computed)
          + " (file damaged or truncated)");
    }
    int magic = be32(0);
    if (magic != IndexFormat.MAGIC) {
      throw new CorruptDataException(name, 0, "bad magic 0x" + Integer.toHexString(magic)
          + ", expected 0x" + Integer.toHexString(IndexFormat.MAGIC));
    }
    int version = data[4] & 0xFF;
    if (version < IndexFormat.VERSION_MIN_READABLE || version > IndexFormat.VERSION_CURRENT) {
      throw new UnsupportedFormatVersionException(name, 4, version,
          IndexFormat.VERSION_MIN_READABLE, IndexFormat.VERSION_CURRENT);
    }
    int toc = data.length - IndexFormat.FOOTER_SIZE;
    if (Crc32c.of(data, toc, IndexFormat.SECTIONS * 8) != be32(toc + IndexFormat.SECTIONS * 8)) {
      throw new CorruptDataException(name, toc, "TOC checksum mismatch");
    }
    int[] body = new int[IndexFormat.SECTIONS];
    int[] end = new int[IndexFormat.SECTIONS];
    ByteSource tocSrc = new ByteSource(name, data, toc, toc + IndexFormat.SECTIONS * 8);
    for (int s = 0; s < IndexFormat.SECTIONS; s++) {
      long start = tocSrc.getBE64();
      if (start < IndexFormat.HEADER_SIZE || start + 8 > toc) {
        throw new CorruptDataException(name, toc + s * 8L, IndexFormat.SECTION_NAMES[s]
            + " section offset " + start + " outside [" + IndexFormat.HEADER_SIZE + ", " + toc + ")");
      }
      long len = be32((int) start) & 0xFFFFFFFFL;
      if (start + 4 + len + 4 > toc) {
        throw new CorruptDataException(name, start, IndexFormat.SECTION_NAMES[s]
            + " section length " + len + " runs past the TOC at " + toc);
      }
      body[s] = (int) start + 4;
      end[s] = (int) (start + 4 + len);
      if (Crc32c.of(data, body[s], (int) len) != be32(end[s])) {
        throw new CorruptDataException(name, start, IndexFormat.SECTION_NAMES[s]
            + " section checksum mismatch");
      }
    }
    ByteSource in = new ByteSource(name, data, body[IndexFormat.SYMBOLS], end[IndexFormat.SYMBOLS]);
    int nSym = in.getUvarintInt(in.remaining(), "symbol count");
    symbols = new String[nSym];
    for (int i = 0; i < nSym; i++) {
      symbols[i] = in.getUvarintString();
    }
    seriesBody = body[IndexFormat.SERIES];
    seriesEnd = end[IndexFormat.SERIES];
    in = new ByteSource(name, data, body[IndexFormat.SERIES_OFFSETS], end[IndexFormat.SERIES_OFFSETS]);
    int nSeries = in.getBE32();
    if (nSeries < 0 || nSeries > in.remaining() / 4) {
      throw in.corrupt("series count " + nSeries + " does not fit the section");
    }
    seriesOffsets = new int[nSeries];
    for (int i = 0; i < nSeries; i++) {
      seriesOffsets[i] = in.getBE32();
      if (seriesOffsets[i] < 0 || seriesOffsets[i] >= seriesEnd - seriesBody) {
        throw in.corrupt("series " + i + " offset " + seriesOffsets[i] + " outside the series section");
      }
    }
    postingsBody = body[IndexFormat.POSTINGS];
    postingsEnd = end[IndexFormat.POSTINGS];
    readTable(new ByteSource(name, data, body[IndexFormat.POSTINGS_TABLE],
        end[IndexFormat.POSTINGS_TABLE]));
  }

  private void readTable(ByteSource in) {
    int n = in.getUvarintInt(in.remaining() / 4, "postings table entries");
    List<String> names = new ArrayList<>();
    List<List<Object[]>> groups = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String ln = symbol(in);
      String lv = symbol(in);
      int off = in.getUvarintInt(postingsEnd - postingsBody, "postings offset");
      int len = in.getUvarintInt(postingsEnd - postingsBody - off, "postings length");
      if (names.isEmpty() || !names.getLast().equals(ln)) {
        names.add(ln);
        groups.add(new ArrayList<>());
      }
      groups.getLast().add(new Object[] {lv, off, len});
    }
    for (int g = 0; g < names.size(); g++) {
      List<Object[]> es = groups.get(g);
      String[] vs = new String[es.size()];
      int[] offs = new int[es.size()];
      int[] lens = new int[es.size()];
      for (int i = 0; i < vs.length; i++) {
        vs[i] = (String) es.get(i)[0];
        offs[i] = (Integer) es.get(i)[1];
        lens[i] = (Integer) es.get(i)[2];
      }
      table.put(names.get(g), new Values(vs, offs, lens));
    }
  }

  private String symbol(ByteSource in) {
    int ref = in.getUvarintInt(symbols.length - 1, "symbol reference");
    return symbols[ref];
  }

  public static IndexReader open(Path file) {
    try {
      return new IndexReader(file.toString(), Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UncheckedIOException("reading index " + file, e);
    }
  }

  /** For tests and in-memory blocks: an index from bytes. */
  public static IndexReader of(String name, byte[] data) {
    return new IndexReader(name, data);
  }

  public int numSeries() {
    return seriesOffsets.length;
  }

  /** Label names present, sorted. */
  public List<String> labelNames() {
    String[] names = table.keySet().toArray(new String[0]);
    Arrays.sort(names);
    return List.of(names);
  }

  /** Values of {@code name}, sorted. */
  public List<String> labelValues(String name) {
    Values v = table.get(name);
    return v == null ? List.of() : List.of(v.values);
  }

  public SeriesEntry series(int id) {
    if (id < 0 || id >= seriesOffsets.length) {
      throw new IllegalArgumentException("series id " + id + " not in [0, " + seriesOffsets.length + ")");
    }
    ByteSource in = new ByteSource(name, data, seriesBody + seriesOffsets[id], seriesEnd);
    int nl = in.getUvarintInt(in.remaining() / 2, "label count");
    Labels.Builder b = Labels.builder();
    for (int i = 0; i < nl; i++) {
      b.set(symbol(in), symbol(in));
    }
    int nc = in.getUvarintInt(in.remaining() / 3, "chunk count");
    long[] minT = new long[nc];
    long[] maxT = new long[nc];
    long[] refs = new long[nc];
    for (int i = 0; i < nc; i++) {
      minT[i] = in.getVarint();
      maxT[i] = minT[i] + in.getUvarint();
      refs[i] = in.getUvarint();
    }
    return new SeriesEntry(b.build(), minT, maxT, refs);
  }

  /** Ids of series matching all matchers, ascending (= label order). */
  public RoaringBitmap select(List<Matcher> matchers) {
    return PostingsForMatchers.select(this, matchers);
  }

  @Override
  public void forEachValue(String labelName, ValueVisitor visitor) {
    Values v = table.get(labelName);
    if (v != null) {
      for (int i = 0; i < v.values.length; i++) {
        visitor.visit(v.values[i], load(v, i));
      }
    }
  }

  @Override
  public RoaringBitmap postings(String labelName, String value) {
    Values v = table.get(labelName);
    if (v == null) {
      return null;
    }
    int i = Arrays.binarySearch(v.values, value);
    return i < 0 ? null : load(v, i);
  }

  @Override
  public RoaringBitmap all() {
    RoaringBitmap all = new RoaringBitmap();
    all.add(0L, (long) seriesOffsets.length);
    return all;
  }

  private RoaringBitmap load(Values v, int i) {
    RoaringBitmap bm = new RoaringBitmap();
    try {
      bm.deserialize(ByteBuffer.wrap(data, postingsBody + v.offsets[i], v.lengths[i]).slice());
    } catch (IOException | RuntimeException e) {
      throw new CorruptDataException(name, postingsBody + v.offsets[i], "postings of "
          + v.values[i] + " do not decode: " + e.getMessage(), e);
    }
    return bm;
  }

  private int be32(int off) {
    return ((data[off] & 0xFF) << 24) | ((data[off + 1] & 0xFF) << 16)
        | ((data[off + 2] & 0xFF) << 8) | (data[off + 3] & 0xFF);
  }
}
