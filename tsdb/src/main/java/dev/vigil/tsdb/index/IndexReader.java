package dev.vigil.tsdb.index;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.Matcher;
import dev.vigil.tsdb.encoding.ByteSource;
import dev.vigil.tsdb.encoding.CorruptDataException;
import dev.vigil.tsdb.encoding.Crc32c;
import dev.vigil.tsdb.encoding.UnsupportedFormatVersionException;
import dev.vigil.tsdb.encoding.SegmentSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import org.roaringbitmap.RoaringBitmap;

/**
 * Reads an index file written by {@link IndexWriter}, in place: the file is memory-mapped, so
 * an open block costs page cache (which the kernel can reclaim) rather than heap. Opening
 * verifies everything before exposing anything: whole-file CRC32C, magic, version in [1, 2], TOC
 * CRC, each section's bounds and CRC, every series offset. The heap then holds only what
 * lookups need at hand: each symbol's offset (4 bytes per symbol) and, per label pair, the
 * symbol of its value and where its postings are (12 bytes per pair). Symbols are decoded when
 * asked for, through a small cache of recent ones; postings are deserialised on demand.
 * Thread-safe; {@link #close} unmaps the file (the owning block does so when its last reader
 * is done).
 */
public final class IndexReader implements LabelIndex, AutoCloseable {
  private static final ValueLayout.OfInt BE32 =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
  /** Recently decoded symbols, direct-mapped by reference: label names and common values hit. */
  private static final int SYMBOL_CACHE_BITS = 14;

  private final String name;
  private final Arena arena; // null: heap bytes, nothing to unmap
  private final MemorySegment data;
  private final int version;
  private final long symbolsBody;
  private final int[] symbolOffsets; // relative to symbolsBody
  private final long seriesBody; // offset of the series section body
  private final long seriesEnd;
  private final long seriesOffsets; // offset of the first entry of the series offsets section
  private final int numSeries;
  private final long postingsBody;
  private final long postingsEnd;
  /** Label name → its values' symbols in order, and where their postings are in postingsBody. */
  private final HashMap<String, Values> table = new HashMap<>();
  private final Symbol[] symbolCache = new Symbol[1 << SYMBOL_CACHE_BITS];

  private record Values(int[] symbols, int[] offsets, int[] lengths) {}

  private record Symbol(int ref, String value) {}

  /**
   * A series' labels and chunk metadata. {@code maxGap[i]} is the largest distance between two
   * consecutive samples of chunk {@code i} (0 for one sample); version 1 files did not record
   * it, and read as the chunk's span, the bound it cannot exceed.
   */
  public record SeriesEntry(Labels labels, long[] minT, long[] maxT, long[] refs,
      long[] maxGap) {}

  private IndexReader(String name, MemorySegment data, Arena arena) {
    this.name = name;
    this.data = data;
    this.arena = arena;
    long size = data.byteSize();
    if (size < IndexFormat.HEADER_SIZE + IndexFormat.FOOTER_SIZE) {
      throw new CorruptDataException(name, 0, "index of " + size
          + " bytes is shorter than header and footer (" + (IndexFormat.HEADER_SIZE
          + IndexFormat.FOOTER_SIZE) + ")");
    }
    int stored = be32(size - 4);
    int computed = Crc32c.of(data, 0, size - 4);
    if (stored != computed) {
      throw new CorruptDataException(name, size - 4, "index checksum mismatch: stored 0x"
          + Integer.toHexString(stored) + ", computed 0x" + Integer.toHexString(computed)
          + " (file damaged or truncated)");
    }
    int magic = be32(0);
    if (magic != IndexFormat.MAGIC) {
      throw new CorruptDataException(name, 0, "bad magic 0x" + Integer.toHexString(magic)
          + ", expected 0x" + Integer.toHexString(IndexFormat.MAGIC));
    }
    version = data.get(ValueLayout.JAVA_BYTE, 4) & 0xFF;
    if (version < IndexFormat.VERSION_MIN_READABLE || version > IndexFormat.VERSION_CURRENT) {
      throw new UnsupportedFormatVersionException(name, 4, version,
          IndexFormat.VERSION_MIN_READABLE, IndexFormat.VERSION_CURRENT);
    }
    long toc = size - IndexFormat.FOOTER_SIZE;
    if (Crc32c.of(data, toc, IndexFormat.SECTIONS * 8) != be32(toc + IndexFormat.SECTIONS * 8)) {
      throw new CorruptDataException(name, toc, "TOC checksum mismatch");
    }
    long[] body = new long[IndexFormat.SECTIONS];
    long[] end = new long[IndexFormat.SECTIONS];
    SegmentSource tocSrc = new SegmentSource(name, data, toc, toc + IndexFormat.SECTIONS * 8);
    for (int s = 0; s < IndexFormat.SECTIONS; s++) {
      long start = tocSrc.getBE64();
      if (start < IndexFormat.HEADER_SIZE || start + 8 > toc) {
        throw new CorruptDataException(name, toc + s * 8L, IndexFormat.SECTION_NAMES[s]
            + " section offset " + start + " outside [" + IndexFormat.HEADER_SIZE + ", " + toc
            + ")");
      }
      long len = be32(start) & 0xFFFFFFFFL;
      if (start + 4 + len + 4 > toc) {
        throw new CorruptDataException(name, start, IndexFormat.SECTION_NAMES[s]
            + " section length " + len + " runs past the TOC at " + toc);
      }
      body[s] = start + 4;
      end[s] = start + 4 + len;
      if (Crc32c.of(data, body[s], len) != be32(end[s])) {
        throw new CorruptDataException(name, start, IndexFormat.SECTION_NAMES[s]
            + " section checksum mismatch");
      }
    }
    symbolsBody = body[IndexFormat.SYMBOLS];
    symbolOffsets = readSymbolOffsets(new SegmentSource(name, data, symbolsBody,
        end[IndexFormat.SYMBOLS]));
    seriesBody = body[IndexFormat.SERIES];
    seriesEnd = end[IndexFormat.SERIES];
    SegmentSource in = new SegmentSource(name, data, body[IndexFormat.SERIES_OFFSETS],
        end[IndexFormat.SERIES_OFFSETS]);
    numSeries = in.getBE32();
    if (numSeries < 0 || numSeries > in.remaining() / 4) {
      throw in.corrupt("series count " + numSeries + " does not fit the section");
    }
    seriesOffsets = in.position();
    for (int i = 0; i < numSeries; i++) {
      int off = in.getBE32();
      if (off < 0 || off >= seriesEnd - seriesBody) {
        throw new CorruptDataException(name, in.position() - 4, "series " + i + " offset "
            + off + " outside the series section");
      }
    }
    postingsBody = body[IndexFormat.POSTINGS];
    postingsEnd = end[IndexFormat.POSTINGS];
    readTable(new SegmentSource(name, data, body[IndexFormat.POSTINGS_TABLE],
        end[IndexFormat.POSTINGS_TABLE]));
  }

  private int[] readSymbolOffsets(SegmentSource in) {
    if (in.remaining() > Integer.MAX_VALUE) {
      throw in.corrupt("symbols section of " + in.remaining() + " bytes: more than 2 GiB is not"
          + " supported");
    }
    int n = in.getUvarintInt(in.remaining(), "symbol count");
    int[] offsets = new int[n];
    for (int i = 0; i < n; i++) {
      offsets[i] = (int) (in.position() - symbolsBody);
      in.skipUvarintString();
    }
    return offsets;
  }

  private void readTable(SegmentSource in) {
    int n = in.getUvarintInt(in.remaining() / 4, "postings table entries");
    int[] values = new int[n];
    int[] offsets = new int[n];
    int[] lengths = new int[n];
    int groupStart = 0;
    int groupName = -1;
    for (int i = 0; i < n; i++) {
      int ln = symbolRef(in);
      int lv = symbolRef(in);
      int off = in.getUvarintInt(postingsEnd - postingsBody, "postings offset");
      int len = in.getUvarintInt(postingsEnd - postingsBody - off, "postings length");
      if (ln != groupName) {
        addGroup(groupName, groupStart, i, values, offsets, lengths);
        groupName = ln;
        groupStart = i;
      }
      values[i] = lv;
      offsets[i] = off;
      lengths[i] = len;
    }
    addGroup(groupName, groupStart, n, values, offsets, lengths);
  }

  private void addGroup(int nameRef, int from, int to, int[] values, int[] offsets,
      int[] lengths) {
    if (nameRef >= 0) {
      table.put(symbol(nameRef), new Values(Arrays.copyOfRange(values, from, to),
          Arrays.copyOfRange(offsets, from, to), Arrays.copyOfRange(lengths, from, to)));
    }
  }

  private int symbolRef(SegmentSource in) {
    return in.getUvarintInt(symbolOffsets.length - 1, "symbol reference");
  }

  /** The symbol {@code ref} (checked to be in range by whoever read it). */
  private String symbol(int ref) {
    int slot = ref & (symbolCache.length - 1);
    Symbol cached = symbolCache[slot];
    if (cached != null && cached.ref == ref) {
      return cached.value;
    }
    String s = decodeSymbol(symbolsBody + symbolOffsets[ref]);
    // Racy but safe: a record's fields are final, so readers see a whole entry or another one.
    symbolCache[slot] = new Symbol(ref, s);
    return s;
  }

  /**
   * The string at {@code at}, a symbol's start that {@link #readSymbolOffsets} checked: its
   * length's uvarint is well-formed and its bytes are inside the section.
   */
  private String decodeSymbol(long at) {
    int len = 0;
    for (int shift = 0; ; shift += 7) {
      int b = data.get(ValueLayout.JAVA_BYTE, at++);
      len |= (b & 0x7F) << shift;
      if (b >= 0) {
        break;
      }
    }
    byte[] bytes = new byte[len];
    MemorySegment.copy(data, ValueLayout.JAVA_BYTE, at, bytes, 0, len);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** Maps {@code file} and verifies it; {@link #close} unmaps it. */
  public static IndexReader open(Path file) {
    Arena arena = Arena.ofShared();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      MemorySegment data = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), arena);
      return new IndexReader(file.toString(), data, arena);
    } catch (IOException e) {
      arena.close();
      throw new UncheckedIOException("reading index " + file, e);
    } catch (RuntimeException e) {
      arena.close();
      throw e;
    }
  }

  /** For tests and in-memory blocks: an index from bytes. */
  public static IndexReader of(String name, byte[] data) {
    return new IndexReader(name, MemorySegment.ofArray(data), null);
  }

  /** Unmaps the file: only once no thread reads this index any more. */
  @Override
  public void close() {
    if (arena != null) {
      arena.close();
    }
  }

  public int numSeries() {
    return numSeries;
  }

  /** Label names present, sorted. */
  public List<String> labelNames() {
    String[] names = table.keySet().toArray(new String[0]);
    Arrays.sort(names);
    return List.of(names);
  }

  /** How many values {@code name} has. */
  public int valueCount(String name) {
    Values v = table.get(name);
    return v == null ? 0 : v.symbols.length;
  }

  /** Values of {@code name}, sorted. */
  public List<String> labelValues(String name) {
    Values v = table.get(name);
    if (v == null) {
      return List.of();
    }
    String[] out = new String[v.symbols.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = symbol(v.symbols[i]);
    }
    return List.of(out);
  }

  public SeriesEntry series(int id) {
    if (id < 0 || id >= numSeries) {
      throw new IllegalArgumentException("series id " + id + " not in [0, " + numSeries + ")");
    }
    long entry = seriesBody + data.get(BE32, seriesOffsets + 4L * id);
    SegmentSource in = new SegmentSource(name, data, entry, seriesEnd);
    int nl = in.getUvarintInt(in.remaining() / 2, "label count");
    Labels.Builder b = Labels.builder();
    for (int i = 0; i < nl; i++) {
      b.set(symbol(symbolRef(in)), symbol(symbolRef(in)));
    }
    int nc = in.getUvarintInt(in.remaining() / (version >= IndexFormat.VERSION_2 ? 4 : 3),
        "chunk count");
    long[] minT = new long[nc];
    long[] maxT = new long[nc];
    long[] refs = new long[nc];
    long[] maxGap = new long[nc];
    for (int i = 0; i < nc; i++) {
      minT[i] = in.getVarint();
      long span = in.getUvarint();
      maxT[i] = minT[i] + span;
      refs[i] = in.getUvarint();
      maxGap[i] = version >= IndexFormat.VERSION_2 ? in.getUvarint() : span;
      if (Long.compareUnsigned(maxGap[i], span) > 0) {
        throw in.corrupt("chunk " + i + " of series " + id + ": largest gap " + maxGap[i]
            + " exceeds the chunk's span " + span);
      }
    }
    return new SeriesEntry(b.build(), minT, maxT, refs, maxGap);
  }

  /** Ids of series matching all matchers, ascending (= label order). */
  public RoaringBitmap select(List<Matcher> matchers) {
    return PostingsForMatchers.select(this, matchers);
  }

  @Override
  public void forEachValue(String labelName, ValueVisitor visitor) {
    Values v = table.get(labelName);
    if (v != null) {
      for (int i = 0; i < v.symbols.length; i++) {
        visitor.visit(symbol(v.symbols[i]), load(v, i));
      }
    }
  }

  @Override
  public RoaringBitmap postings(String labelName, String value) {
    Values v = table.get(labelName);
    if (v == null) {
      return null;
    }
    // A name's values are in symbol order, which is string order: search them by decoding.
    int lo = 0;
    int hi = v.symbols.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = symbol(v.symbols[mid]).compareTo(value);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return load(v, mid);
      }
    }
    return null;
  }

  @Override
  public RoaringBitmap all() {
    RoaringBitmap all = new RoaringBitmap();
    all.add(0L, (long) numSeries);
    return all;
  }

  private RoaringBitmap load(Values v, int i) {
    RoaringBitmap bm = new RoaringBitmap();
    long at = postingsBody + v.offsets[i];
    try {
      bm.deserialize(data.asSlice(at, v.lengths[i]).asByteBuffer());
    } catch (IOException | RuntimeException e) {
      throw new CorruptDataException(name, at, "postings of " + symbol(v.symbols[i])
          + " do not decode: " + e.getMessage(), e);
    }
    return bm;
  }

  private int be32(long off) {
    return data.get(BE32, off);
  }
}
