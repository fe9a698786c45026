package dev.vigil.tsdb.chunks;

import dev.vigil.tsdb.chunkenc.Chunk;
import dev.vigil.tsdb.chunkenc.ChunkEnvelope;
import dev.vigil.tsdb.chunkenc.Encoding;
import dev.vigil.tsdb.encoding.ByteSink;
import dev.vigil.tsdb.encoding.Crc32c;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The head's closed chunks in memory-mapped files ({@code <db>/chunks_head/}, format in
 * {@code FORMAT.md}), as Prometheus's {@code ChunkDiskMapper}: a full chunk is appended to the
 * current file and the series keeps only its reference, so chunk bytes live in the page cache
 * instead of the heap.
 *
 * <p>The WAL stays the source of truth: these files are not fsynced, and everything they hold is
 * also in the WAL (or its checkpoint) until the head is cut into a block. They let a restart skip
 * the WAL samples they already hold, and free the heap. Any damage found when loading ends the
 * usable data at that point (the WAL replays the rest), is logged, and the damaged bytes are
 * copied to {@code <db>/quarantine/} first.
 *
 * <p>Files are preallocated (sparse) to their maximum size and mapped once, read-only; records
 * are written with positional writes in batches of {@value HeadChunkFormat#WRITE_BUFFER} bytes,
 * and records not yet written are read from the write buffer. Mappings are released by the
 * garbage collector ({@link Arena#ofAuto()}), so a query still holding a deleted file's mapping
 * keeps reading it safely.
 */
public final class MappedHeadChunks implements HeadChunks, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(MappedHeadChunks.class.getName());
  private static final ValueLayout.OfLong BE64 =
      ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
  private static final ValueLayout.OfInt BE32 =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
  /** Longest record prefix before the data: fixed part + a 5-byte uvarint length. */
  private static final int MAX_PREFIX = HeadChunkFormat.RECORD_FIXED + 5;

  /** Receives each valid chunk found when loading, in file order. */
  @FunctionalInterface
  public interface LoadVisitor {
    void chunk(int seriesId, long ref, long minT, long maxT);
  }

  /**
   * What loading found.
   *
   * @param files files read
   * @param chunks valid chunks delivered
   * @param corruption description of the damage that ended the usable data, or null
   */
  public record LoadResult(int files, long chunks, String corruption) {}

  /**
   * The mapped files, oldest first; {@code maps[i]} is file {@code first + i}. Replaced, never
   * changed, except the newest file's max time, updated under the writer's lock.
   */
  private record Table(int first, MemorySegment[] maps, long[] maxTs) {
    MemorySegment map(int index) {
      int i = index - first;
      if (i < 0 || i >= maps.length) {
        throw new IllegalStateException("head chunk file " + index + " is not open (open: "
            + first + ".." + (first + maps.length - 1) + ")");
      }
      return maps[i];
    }
  }

  private final Path dir;
  private final long maxFileSize;
  private volatile Table table;
  private final ByteSink record = new ByteSink(512);
  private final ByteSink pending = new ByteSink(HeadChunkFormat.WRITE_BUFFER + 4096);
  /**
   * Ref of the first byte not yet written to the file: refs at or after it are in pending
   * ({@code Long.MAX_VALUE} before the first file of this run is cut).
   */
  private volatile long flushedRef = Long.MAX_VALUE;
  private RandomAccessFile file;
  private int current;
  private long writeEnd;
  private HeapHeadChunks fallback;
  private boolean failing;
  private int writesSinceFailure;
  private boolean closed;
  private final LoadResult loaded;

  private MappedHeadChunks(Path dir, long maxFileSize, Table table, LoadResult loaded) {
    this.dir = dir;
    this.maxFileSize = maxFileSize;
    this.table = table;
    this.loaded = loaded;
    // New chunks go to a new file, cut on the first write.
    this.current = table.maps.length == 0 ? table.first : table.first + table.maps.length - 1;
  }

  /** What {@link #open} found in the existing files. */
  public LoadResult loaded() {
    return loaded;
  }

  /**
   * Opens {@code dir} (created if missing), delivering every valid chunk of the existing files
   * to {@code visitor}; new chunks go to a new file. Damage ends the usable data: the damaged
   * file is copied to {@code quarantineDir} and cut at the damage, later files are moved there.
   */
  public static MappedHeadChunks open(Path dir, long maxFileSize, Path quarantineDir,
      LoadVisitor visitor) {
    if (maxFileSize < HeadChunkFormat.HEADER_SIZE + MAX_PREFIX + 64
        || maxFileSize > 0xFFFFFFFFL) {
      throw new IllegalArgumentException("head chunk file size " + maxFileSize
          + " not in [" + (HeadChunkFormat.HEADER_SIZE + MAX_PREFIX + 64) + ", 2^32)");
    }
    try {
      Files.createDirectories(dir);
      int[] indexes = dropUnstartedLastFile(dir, fileIndexes(dir));
      List<MemorySegment> maps = new ArrayList<>();
      long[] maxTs = new long[indexes.length];
      long chunks = 0;
      String corruption = null;
      int used = 0;
      for (; used < indexes.length; used++) {
        int idx = indexes[used];
        Path p = dir.resolve(ChunkSegmentFormat.segmentName(idx));
        if (used > 0 && idx != indexes[used - 1] + 1) {
          corruption = p + ": file " + idx + " follows file " + indexes[used - 1]
              + " (files missing)";
          break;
        }
        MemorySegment m;
        Scan scan;
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
          m = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size(), Arena.ofAuto());
          scan = scan(ch, idx, visitor);
        }
        chunks += scan.chunks;
        if (scan.problem != null) {
          corruption = p + " at offset " + scan.end + ": " + scan.problem;
          if (scan.chunks > 0) {
            quarantineTail(p, scan.end, quarantineDir);
            maxTs[used] = scan.maxT;
            maps.add(m);
            used++;
          }
          break; // a file without a valid chunk is moved away below
        }
        maxTs[used] = scan.maxT;
        maps.add(m);
      }
      for (int i = used; i < indexes.length; i++) {
        Path p = dir.resolve(ChunkSegmentFormat.segmentName(indexes[i]));
        Files.createDirectories(quarantineDir);
        Files.move(p, quarantineDir.resolve("chunks_head-" + p.getFileName()),
            StandardCopyOption.REPLACE_EXISTING);
      }
      if (corruption != null) {
        LOG.log(System.Logger.Level.WARNING, "head chunks: " + corruption + "; the chunks from"
            + " there on are replayed from the WAL instead, damaged files copied to "
            + quarantineDir);
      }
      // With no file kept, numbering restarts after the highest file seen (moved ones included).
      int first = used == 0 ? (indexes.length == 0 ? 0 : indexes[indexes.length - 1]) : indexes[0];
      Table t = new Table(first, maps.toArray(new MemorySegment[0]), Arrays.copyOf(maxTs, used));
      return new MappedHeadChunks(dir, maxFileSize, t, new LoadResult(used, chunks, corruption));
    } catch (IOException e) {
      throw new UncheckedIOException("opening head chunks in " + dir, e);
    }
  }

  private static int[] fileIndexes(Path dir) throws IOException {
    List<Integer> found = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        String n = p.getFileName().toString();
        if (n.length() == 6 && n.chars().allMatch(Character::isDigit) && Files.isRegularFile(p)) {
          found.add(Integer.parseInt(n));
        }
      }
    }
    int[] out = new int[found.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = found.get(i);
    }
    Arrays.sort(out);
    return out;
  }

  /**
   * A process killed while starting a file (see {@link #cut}) leaves the newest file shorter
   * than its header: nothing was ever written to it, so it is removed, not reported as damage.
   */
  private static int[] dropUnstartedLastFile(Path dir, int[] indexes) throws IOException {
    if (indexes.length == 0) {
      return indexes;
    }
    Path last = dir.resolve(ChunkSegmentFormat.segmentName(indexes[indexes.length - 1]));
    long size = Files.size(last);
    if (size >= HeadChunkFormat.HEADER_SIZE) {
      return indexes;
    }
    Files.delete(last);
    LOG.log(System.Logger.Level.INFO, "head chunks: removed " + last + " (" + size
        + " bytes): a file whose start was interrupted holds no chunks");
    return Arrays.copyOf(indexes, indexes.length - 1);
  }

  private static final class Scan {
    long chunks;
    long maxT = Long.MIN_VALUE;
    long end;
    String problem;
  }

  /**
   * Delivers the valid records of one file; stops at the zero tail or the first damage. Reads
   * through the channel into a heap window rather than through the mapping: at start the JIT
   * has compiled nothing yet, and plain array reads interpret several times faster than
   * memory-segment accesses (this scan is most of a cold start's time before the WAL).
   */
  private static Scan scan(FileChannel ch, int idx, LoadVisitor visitor) throws IOException {
    Scan s = new Scan();
    long size = ch.size();
    if (size < HeadChunkFormat.HEADER_SIZE) {
      s.problem = "file of " + size + " bytes is shorter than its header";
      return s;
    }
    Window w = new Window(ch, size);
    w.fill(0, HeadChunkFormat.HEADER_SIZE);
    int magic = (int) w.be(0, 4);
    if (magic != HeadChunkFormat.MAGIC) {
      s.problem = "bad magic 0x" + Integer.toHexString(magic) + ", expected 0x"
          + Integer.toHexString(HeadChunkFormat.MAGIC);
      return s;
    }
    int version = w.buf[4] & 0xFF;
    if (version < HeadChunkFormat.VERSION_MIN_READABLE
        || version > HeadChunkFormat.VERSION_CURRENT) {
      s.problem = "unsupported version " + version + ", this build reads versions "
          + HeadChunkFormat.VERSION_MIN_READABLE + " to " + HeadChunkFormat.VERSION_CURRENT;
      return s;
    }
    long off = HeadChunkFormat.HEADER_SIZE;
    CRC32C crc = new CRC32C();
    while (off >= 0) {
      s.end = off;
      off = record(w, off, size, crc, idx, visitor, s);
    }
    return s;
  }

  /**
   * Reads, checks and delivers the record at {@code off}; returns the offset of the next one,
   * or -1 at the end of the data or at damage (then in {@code s.problem}). A method of its own,
   * called once per chunk, so that the JIT compiles it once as a whole early instead of
   * replacing the long loop of {@link #scan} on the stack first and compiling it again after.
   */
  private static long record(Window w, long off, long size, CRC32C crc, int idx,
      LoadVisitor visitor, Scan s) throws IOException {
    if (off + 8 > size) {
      return -1; // end of data: the file's end
    }
    int at = w.fill(off, (int) Math.min(size - off, MAX_PREFIX));
    if (w.be(at, 8) == 0) {
      return -1; // end of data: the zeros of the preallocated tail
    }
    if (off + HeadChunkFormat.RECORD_FIXED + 1 > size) {
      s.problem = "torn record: " + (size - off) + " bytes left";
      return -1;
    }
    long series = w.be(at, 8);
    long minT = w.be(at + 8, 8);
    long maxT = w.be(at + 16, 8);
    int enc = w.buf[at + 24] & 0xFF;
    long lenPos = off + HeadChunkFormat.RECORD_FIXED;
    long len = 0;
    int shift = 0;
    int b;
    do {
      if (lenPos >= size || shift > 28) {
        s.problem = "bad chunk length";
        return -1;
      }
      b = w.buf[(int) (at + lenPos - off)] & 0xFF;
      lenPos++;
      len |= (long) (b & 0x7F) << shift;
      shift += 7;
    } while ((b & 0x80) != 0);
    long total = lenPos - off + len + 4;
    if (series <= 0 || series > Integer.MAX_VALUE) {
      s.problem = "series ref " + series + " not in [1, 2^31)";
      return -1;
    }
    if (len > ChunkEnvelope.MAX_DATA_BYTES || off + total > size) {
      s.problem = "chunk of " + len + " bytes runs past the file end " + size;
      return -1;
    }
    at = w.fill(off, (int) total);
    int expected = Crc32c.of(crc, w.buf, at, (int) (total - 4));
    int stored = (int) w.be(at + (int) total - 4, 4);
    if (expected != stored) {
      s.problem = "checksum mismatch: stored 0x" + Integer.toHexString(stored)
          + ", computed 0x" + Integer.toHexString(expected);
      return -1;
    }
    if (Encoding.of(enc) == null || maxT < minT) {
      s.problem = "record with encoding " + enc + " and time range [" + minT + ", " + maxT
          + "] (known encodings: 1 XOR, 16 histogram v1)";
      return -1;
    }
    visitor.chunk((int) series, ChunkSegmentFormat.ref(idx, off), minT, maxT);
    s.chunks++;
    s.maxT = Math.max(s.maxT, maxT);
    return off + total;
  }

  /** A heap copy of a stretch of a file, read in large blocks, for {@link #scan}. */
  private static final class Window {
    private final FileChannel ch;
    private final long size;
    byte[] buf = new byte[1 << 20];
    private long start;
    private int len;

    Window(FileChannel ch, long size) {
      this.ch = ch;
      this.size = size;
    }

    /** Makes {@code [off, off + n)} (inside the file) readable; returns where it starts in buf. */
    int fill(long off, int n) throws IOException {
      if (off >= start && off + n <= start + len) {
        return (int) (off - start);
      }
      if (n > buf.length) {
        buf = new byte[Math.max(n, buf.length * 2)];
      }
      start = off;
      len = 0;
      ByteBuffer bb = ByteBuffer.wrap(buf, 0, (int) Math.min(buf.length, size - off));
      while (bb.hasRemaining()) {
        int r = ch.read(bb, off + bb.position());
        if (r < 0) {
          break;
        }
      }
      len = bb.position();
      if (len < n) {
        throw new IOException("head chunk file shrank while being read: " + (off + len)
            + " of " + size + " bytes");
      }
      return 0;
    }

    /** The big-endian value of {@code bytes} bytes at {@code i}. */
    long be(int i, int bytes) {
      long v = 0;
      for (int k = 0; k < bytes; k++) {
        v = (v << 8) | (buf[i + k] & 0xFF);
      }
      return v;
    }
  }

  // Keeps a copy of the damaged file, then cuts it where the damage starts.
  private static void quarantineTail(Path p, long end, Path quarantineDir) throws IOException {
    Files.createDirectories(quarantineDir);
    Files.copy(p, quarantineDir.resolve("chunks_head-" + p.getFileName() + ".damaged"),
        StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
      ch.truncate(end);
    }
  }

  @Override
  public synchronized long write(int seriesId, long minT, long maxT, Chunk chunk) {
    if (closed) {
      throw new IllegalStateException("head chunks in " + dir + " are closed");
    }
    record.reset();
    record.putBE64(seriesId).putBE64(minT).putBE64(maxT).putByte(chunk.encoding().code());
    int len = chunk.byteLength();
    record.putUvarint(len);
    record.putBytes(chunk.bytes(), 0, len);
    record.putBE32(record.crc32c(0));
    if (failing && ++writesSinceFailure % 1024 == 0) {
      try {
        flushPending();
        failing = false;
        LOG.log(System.Logger.Level.INFO, "head chunk files in " + dir + " writable again");
      } catch (IOException e) {
        // Still failing: keep the heap fallback.
      }
    }
    if (!failing && HeadChunkFormat.HEADER_SIZE + record.length() <= maxFileSize) {
      try {
        if (file == null || writeEnd + record.length() > maxFileSize) {
          cut();
        }
        long ref = ChunkSegmentFormat.ref(current, writeEnd);
        pending.putBytes(record.array(), 0, record.length());
        writeEnd += record.length();
        Table t = table;
        t.maxTs[t.maps.length - 1] = Math.max(t.maxTs[t.maps.length - 1], maxT);
        if (pending.length() >= HeadChunkFormat.WRITE_BUFFER) {
          flushPending();
        }
        return ref;
      } catch (IOException e) {
        failing = true;
        writesSinceFailure = 0;
        LOG.log(System.Logger.Level.ERROR, "cannot write head chunk file in " + dir + " ("
            + e + "); keeping full chunks on the heap until it works again", e);
      }
    }
    if (fallback == null) {
      fallback = new HeapHeadChunks();
    }
    return HeadChunkFormat.HEAP_FALLBACK_BIT | fallback.write(seriesId, minT, maxT, chunk);
  }

  // Writes pending records at their place in the current file.
  private void flushPending() throws IOException {
    if (pending.length() == 0) {
      return;
    }
    long at = ChunkSegmentFormat.refOffset(flushedRef);
    ByteBuffer bb = ByteBuffer.wrap(pending.array(), 0, pending.length());
    FileChannel ch = file.getChannel();
    while (bb.hasRemaining()) {
      at += ch.write(bb, at);
    }
    pending.reset();
    flushedRef = ChunkSegmentFormat.ref(current, writeEnd);
  }

  // Finishes the current file (cut to its data) and starts the next, preallocated and mapped.
  private void cut() throws IOException {
    if (file != null) {
      flushPending();
      file.setLength(writeEnd);
      file.close();
      file = null;
    }
    int next = current + 1;
    Path p = dir.resolve(ChunkSegmentFormat.segmentName(next));
    RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw");
    try {
      f.setLength(0);
      ByteSink h = new ByteSink(HeadChunkFormat.HEADER_SIZE);
      h.putBE32(HeadChunkFormat.MAGIC).putByte(HeadChunkFormat.VERSION_CURRENT).putByte(0)
          .putByte(0).putByte(0);
      f.write(h.array(), 0, h.length());
      f.setLength(maxFileSize);
      MemorySegment m = f.getChannel().map(FileChannel.MapMode.READ_ONLY, 0, maxFileSize,
          Arena.ofAuto());
      Table t = table;
      int first = t.maps.length == 0 ? next : t.first;
      MemorySegment[] maps = Arrays.copyOf(t.maps, t.maps.length + 1);
      long[] maxTs = Arrays.copyOf(t.maxTs, t.maxTs.length + 1);
      maps[maps.length - 1] = m;
      maxTs[maxTs.length - 1] = Long.MIN_VALUE;
      table = new Table(first, maps, maxTs);
    } catch (IOException | RuntimeException e) {
      f.close();
      Files.deleteIfExists(p);
      throw e;
    }
    file = f;
    current = next;
    writeEnd = HeadChunkFormat.HEADER_SIZE;
    flushedRef = ChunkSegmentFormat.ref(current, writeEnd);
  }

  @Override
  public Chunk read(long ref) {
    return read(table, ref);
  }

  private Chunk read(Table t, long ref) {
    if ((ref & HeadChunkFormat.HEAP_FALLBACK_BIT) != 0) {
      return fallback().read(ref & ~HeadChunkFormat.HEAP_FALLBACK_BIT);
    }
    if (ref >= flushedRef) {
      synchronized (this) {
        if (ref >= flushedRef) {
          int at = (int) (ChunkSegmentFormat.refOffset(ref)
              - ChunkSegmentFormat.refOffset(flushedRef));
          return decode(pending.array(), at, pending.length());
        }
      }
      t = table; // flushed meanwhile: the file holds it, and the newest table maps the file
    }
    MemorySegment m = t.map(ChunkSegmentFormat.refSegment(ref));
    long off = ChunkSegmentFormat.refOffset(ref);
    int head = (int) Math.min(MAX_PREFIX, m.byteSize() - off);
    byte[] prefix = new byte[MAX_PREFIX];
    MemorySegment.copy(m, ValueLayout.JAVA_BYTE, off, prefix, 0, head);
    int p = HeadChunkFormat.RECORD_FIXED;
    int len = 0;
    int shift = 0;
    int b;
    do {
      b = prefix[p++] & 0xFF;
      len |= (b & 0x7F) << shift;
      shift += 7;
    } while ((b & 0x80) != 0);
    byte[] data = new byte[len];
    MemorySegment.copy(m, ValueLayout.JAVA_BYTE, off + p, data, 0, len);
    return Chunk.wrap(Encoding.of(prefix[24] & 0xFF), data, "head chunk file");
  }

  private static Chunk decode(byte[] buf, int at, int end) {
    int p = at + HeadChunkFormat.RECORD_FIXED;
    int len = 0;
    int shift = 0;
    int b;
    do {
      b = buf[p++] & 0xFF;
      len |= (b & 0x7F) << shift;
      shift += 7;
    } while ((b & 0x80) != 0);
    if (p + len > end) {
      throw new IllegalStateException("head chunk record at " + at + " runs past the buffer");
    }
    return Chunk.wrap(Encoding.of(buf[at + 24] & 0xFF), Arrays.copyOfRange(buf, p, p + len),
        "head chunk buffer");
  }

  @Override
  public long minTime(long ref) {
    if ((ref & HeadChunkFormat.HEAP_FALLBACK_BIT) != 0) {
      return fallback().minTime(ref & ~HeadChunkFormat.HEAP_FALLBACK_BIT);
    }
    if (ref >= flushedRef) {
      synchronized (this) {
        if (ref >= flushedRef) {
          int at = (int) (ChunkSegmentFormat.refOffset(ref)
              - ChunkSegmentFormat.refOffset(flushedRef));
          byte[] a = pending.array();
          long v = 0;
          for (int i = 0; i < 8; i++) {
            v = (v << 8) | (a[at + HeadChunkFormat.MIN_T_OFFSET + i] & 0xFF);
          }
          return v;
        }
      }
    }
    return table.map(ChunkSegmentFormat.refSegment(ref))
        .get(BE64, ChunkSegmentFormat.refOffset(ref) + HeadChunkFormat.MIN_T_OFFSET);
  }

  private synchronized HeapHeadChunks fallback() {
    return fallback;
  }

  @Override
  public void release(long ref) {
    if ((ref & HeadChunkFormat.HEAP_FALLBACK_BIT) != 0) {
      fallback().release(ref & ~HeadChunkFormat.HEAP_FALLBACK_BIT);
    }
  }

  @Override
  public PinnedChunks pin(long[] refs, int n) {
    Table t = table;
    return i -> read(t, refs[i]);
  }

  /**
   * Deletes the oldest files whose chunks all end before {@code t} (the head has dropped those
   * chunks: they are in a block). Call after the head's own truncation. Returns files deleted.
   */
  public synchronized int truncateBefore(long t) {
    Table tab = table;
    int n = 0;
    while (n < tab.maps.length && tab.maxTs[n] < t) {
      n++;
    }
    if (n == 0) {
      return 0;
    }
    try {
      if (n == tab.maps.length && file != null) {
        if (writeEnd == HeadChunkFormat.HEADER_SIZE) {
          n--; // the current file is empty: keep writing to it
        } else {
          cut(); // the current file goes too: continue in a fresh one
          tab = table;
        }
      }
      if (n == 0) {
        return 0;
      }
      table = new Table(tab.first + n, Arrays.copyOfRange(tab.maps, n, tab.maps.length),
          Arrays.copyOfRange(tab.maxTs, n, tab.maxTs.length));
      for (int i = 0; i < n; i++) {
        Files.deleteIfExists(dir.resolve(ChunkSegmentFormat.segmentName(tab.first + i)));
      }
      return n;
    } catch (IOException e) {
      LOG.log(System.Logger.Level.ERROR, "cannot delete old head chunk files in " + dir
          + "; retried at the next truncation", e);
      return 0;
    }
  }

  /**
   * Bytes of chunk records in the open files (headers included): what the page cache holds
   * when every chunk has been read, whatever the files' preallocated size.
   */
  public synchronized long dataBytes() {
    Table t = table;
    long n = 0;
    for (int i = 0; i < t.maps.length; i++) {
      int index = t.first + i;
      if (index == current && file != null) {
        n += writeEnd;
      } else {
        try {
          n += Files.size(dir.resolve(ChunkSegmentFormat.segmentName(index)));
        } catch (IOException e) {
          throw new UncheckedIOException("sizing head chunk file " + index + " in " + dir, e);
        }
      }
    }
    return n;
  }

  /** Open files (for tests and analysis). */
  public int fileCount() {
    return table.maps.length;
  }

  /**
   * Writes buffered chunks to their file (not synced), for a head snapshot taken while the
   * database stays open.
   */
  public synchronized void flush() throws IOException {
    if (file != null) {
      flushPending();
    }
  }

  /** Writes buffered chunks and cuts the current file to its data. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (file != null) {
      try {
        flushPending();
        file.setLength(writeEnd);
        file.close();
      } catch (IOException e) {
        LOG.log(System.Logger.Level.WARNING, "closing head chunk file in " + dir
            + " (its chunks are also in the WAL)", e);
      }
      file = null;
    }
  }
}
