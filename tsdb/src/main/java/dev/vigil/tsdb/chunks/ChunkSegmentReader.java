package dev.vigil.tsdb.chunks;

import dev.vigil.tsdb.chunkenc.Chunk;
import dev.vigil.tsdb.chunkenc.ChunkEnvelope;
import dev.vigil.tsdb.chunkenc.Encoding;
import dev.vigil.tsdb.encoding.CorruptDataException;
import dev.vigil.tsdb.encoding.SegmentSource;
import dev.vigil.tsdb.encoding.UnsupportedFormatVersionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads chunks by reference from memory-mapped segment files, so chunk data lives in the page
 * cache rather than the heap. Opening checks each segment's header and its length against what
 * the writer recorded; each chunk's CRC is checked when it is read. Thread-safe; {@link #close}
 * unmaps (no reads may be in flight).
 */
public final class ChunkSegmentReader implements AutoCloseable {
  private static final ValueLayout.OfInt BE32 =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

  private final Path dir;
  private final Arena arena = Arena.ofShared();
  private final MemorySegment[] segments; // index i holds segment i+1
  /** Each segment's path as a string, for errors: built once, not per chunk read. */
  private final String[] names;

  public ChunkSegmentReader(Path dir, long[] expectedLengths) {
    this.dir = dir;
    this.segments = new MemorySegment[expectedLengths.length];
    this.names = new String[expectedLengths.length];
    try {
      for (int i = 0; i < expectedLengths.length; i++) {
        Path p = dir.resolve(ChunkSegmentFormat.segmentName(i + 1));
        names[i] = p.toString();
        long size = Files.size(p);
        if (size != expectedLengths[i]) {
          throw new CorruptDataException(p.toString(), size, "chunk segment is " + size
              + " bytes, the block meta says " + expectedLengths[i]);
        }
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.READ)) {
          segments[i] = ch.map(FileChannel.MapMode.READ_ONLY, 0, size, arena);
        }
        checkHeader(p, segments[i]);
      }
    } catch (IOException e) {
      arena.close();
      throw new UncheckedIOException("opening chunk segments in " + dir, e);
    } catch (RuntimeException e) {
      arena.close();
      throw e;
    }
  }

  private static void checkHeader(Path p, MemorySegment s) {
    if (s.byteSize() < ChunkSegmentFormat.HEADER_SIZE) {
      throw new CorruptDataException(p.toString(), 0, "chunk segment of " + s.byteSize()
          + " bytes is shorter than its " + ChunkSegmentFormat.HEADER_SIZE + "-byte header");
    }
    int magic = s.get(BE32, 0);
    if (magic != ChunkSegmentFormat.MAGIC) {
      throw new CorruptDataException(p.toString(), 0, "bad magic 0x" + Integer.toHexString(magic)
          + ", expected 0x" + Integer.toHexString(ChunkSegmentFormat.MAGIC));
    }
    int version = s.get(ValueLayout.JAVA_BYTE, 4) & 0xFF;
    if (version < ChunkSegmentFormat.VERSION_MIN_READABLE
        || version > ChunkSegmentFormat.VERSION_CURRENT) {
      throw new UnsupportedFormatVersionException(p.toString(), 4, version,
          ChunkSegmentFormat.VERSION_MIN_READABLE, ChunkSegmentFormat.VERSION_CURRENT);
    }
  }

  /**
   * The chunk at {@code ref}, CRC-checked. Copies the chunk's data onto the heap once, for
   * decoding; the mapped file is not retained by the chunk.
   */
  public Chunk read(long ref) {
    return read(ref, null);
  }

  /**
   * A reader of chunks into one heap buffer it reuses, for an iterator that reads chunk after
   * chunk: each chunk it returns is valid until its next read. Not thread-safe.
   */
  public Cursor cursor() {
    return new Cursor();
  }

  /** See {@link #cursor()}. */
  public final class Cursor {
    private byte[] buffer = new byte[0];

    private Cursor() {}

    /** The chunk at {@code ref}, CRC-checked; valid until the next call. */
    public Chunk read(long ref) {
      return ChunkSegmentReader.this.read(ref, this);
    }

    private byte[] buffer(int length) {
      if (buffer.length < length) {
        buffer = new byte[Math.max(length, buffer.length + (buffer.length >> 1))];
      }
      return buffer;
    }
  }

  private Chunk read(long ref, Cursor cursor) {
    int seg = ChunkSegmentFormat.refSegment(ref);
    long off = ChunkSegmentFormat.refOffset(ref);
    if (seg < 1 || seg > segments.length) {
      throw new CorruptDataException(dir.resolve(ChunkSegmentFormat.segmentName(seg)).toString(),
          off, "chunk reference to segment " + seg + ", the block has " + segments.length);
    }
    String name = names[seg - 1];
    MemorySegment s = segments[seg - 1];
    if (off < ChunkSegmentFormat.HEADER_SIZE || off >= s.byteSize()) {
      throw new CorruptDataException(name, off, "chunk offset outside the segment of "
          + s.byteSize() + " bytes");
    }
    // Length prefix: a uvarint of at most 10 bytes, read in place (no copy per chunk read).
    SegmentSource prefix = new SegmentSource(name, s, off, s.byteSize());
    long len = prefix.getUvarint();
    long codeAt = prefix.position();
    if (len > ChunkEnvelope.MAX_DATA_BYTES || codeAt + 1 + len + 4 > s.byteSize()) {
      throw new CorruptDataException(name, off, "chunk of " + len + " data bytes runs past the"
          + " segment end " + s.byteSize());
    }
    int code = s.get(ValueLayout.JAVA_BYTE, codeAt) & 0xFF;
    Encoding enc = Encoding.of(code);
    int length = (int) len;
    byte[] data = cursor != null && enc != null && enc.decodesFromLongerArray()
        ? cursor.buffer(length) : new byte[length];
    MemorySegment.copy(s, ValueLayout.JAVA_BYTE, codeAt + 1, data, 0, length);
    int storedCrc = s.get(BE32, codeAt + 1 + len);
    return ChunkEnvelope.verify(name, off, code, data, length, storedCrc);
  }

  /** Reads every byte of every chunk between the header and the recorded end, checking CRCs. */
  public long verifyAll() {
    long chunks = 0;
    for (int i = 0; i < segments.length; i++) {
      long off = ChunkSegmentFormat.HEADER_SIZE;
      long size = segments[i].byteSize();
      while (off < size) {
        long ref = ChunkSegmentFormat.ref(i + 1, off);
        read(ref);
        off += envelopeLength(i, off);
        chunks++;
      }
    }
    return chunks;
  }

  private long envelopeLength(int segIdx, long off) {
    SegmentSource src = new SegmentSource(names[segIdx], segments[segIdx], off,
        segments[segIdx].byteSize());
    long len = src.getUvarint();
    return src.position() - off + 1 + len + 4;
  }

  @Override
  public void close() {
    arena.close();
  }
}
