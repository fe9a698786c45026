package dev.vigil.tsdb.chunks;

import dev.vigil.tsdb.chunkenc.Chunk;
import dev.vigil.tsdb.chunkenc.ChunkEnvelope;
import dev.vigil.tsdb.encoding.ByteSink;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes chunks into numbered segment files in {@code dir} (format: {@code FORMAT.md}) and hands
 * back a reference per chunk. {@link #close()} fsyncs and returns the segment lengths, which the
 * block's meta records so a reader detects truncation. Not thread-safe.
 */
public final class ChunkSegmentWriter implements AutoCloseable {
  private final Path dir;
  private final long maxSegmentSize;
  private final ByteSink buf = new ByteSink(1 << 16);
  private final List<Long> lengths = new ArrayList<>();
  private OutputStream out;
  private int segment;
  private long offset;
  private boolean closed;

  public ChunkSegmentWriter(Path dir, long maxSegmentSize) {
    this.dir = dir;
    this.maxSegmentSize = maxSegmentSize;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
    }
  }

  /** Writes one chunk; returns its reference. */
  public long write(Chunk c) {
    if (closed) {
      throw new IllegalStateException("chunk writer for " + dir + " is closed");
    }
    buf.reset();
    ChunkEnvelope.write(buf, c);
    try {
      if (out == null || (offset + buf.length() > maxSegmentSize
          && offset > ChunkSegmentFormat.HEADER_SIZE)) {
        nextSegment();
      }
      long ref = ChunkSegmentFormat.ref(segment, offset);
      out.write(buf.array(), 0, buf.length());
      offset += buf.length();
      return ref;
    } catch (IOException e) {
      throw new UncheckedIOException("writing chunk to " + dir.resolve(
          ChunkSegmentFormat.segmentName(segment)) + " at offset " + offset + ": "
          + e.getMessage(), e);
    }
  }

  private void nextSegment() throws IOException {
    finishSegment();
    segment++;
    out = new BufferedOutputStream(Files.newOutputStream(
        dir.resolve(ChunkSegmentFormat.segmentName(segment)), StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE), 1 << 16);
    ByteSink h = new ByteSink(8);
    h.putBE32(ChunkSegmentFormat.MAGIC).putByte(ChunkSegmentFormat.VERSION_CURRENT)
        .putByte(0).putByte(0).putByte(0);
    out.write(h.array(), 0, h.length());
    offset = ChunkSegmentFormat.HEADER_SIZE;
  }

  private void finishSegment() throws IOException {
    if (out != null) {
      out.close();
      Path p = dir.resolve(ChunkSegmentFormat.segmentName(segment));
      try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      lengths.add(offset);
      out = null;
    }
  }

  /** Closes and fsyncs; returns the length of each segment, in order. Idempotent. */
  public long[] finish() {
    if (!closed) {
      closed = true;
      try {
        finishSegment();
      } catch (IOException e) {
        throw new UncheckedIOException("closing chunk segment in " + dir + ": " + e.getMessage(), e);
      }
    }
    long[] out = new long[lengths.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = lengths.get(i);
    }
    return out;
  }

  @Override
  public void close() {
    finish();
  }
}
