package dev.vigil.tsdb.index;

import dev.vigil.tsdb.encoding.ByteSink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Streams a file of checksummed sections ({@code section := len <4b> | body | CRC32C <4b>}, as
 * {@code FORMAT.md} lays out the index) through a small buffer, so that writing it needs memory
 * for the buffer, not for the file. A section's length is written as a placeholder and patched
 * in place when the section ends; its CRC is computed as the body streams by. The CRC of the
 * whole file, which covers the patched lengths, is computed by reading the file back in
 * {@link #finish}. Not thread-safe.
 */
final class SectionedFileOutput implements AutoCloseable {
  private static final int FLUSH_AT = 1 << 16;

  private final Path file;
  private final FileChannel ch;
  /** Bytes not written to the channel yet; they start at file offset {@link #flushed}. */
  private final ByteSink buf = new ByteSink(FLUSH_AT + (1 << 12));
  private final CRC32C sectionCrc = new CRC32C();
  private long flushed;
  private long sectionStart = -1;

  SectionedFileOutput(Path file) throws IOException {
    this.file = file;
    this.ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
  }

  /** The buffer to append to; call {@link #maybeFlush} after a bounded number of bytes. */
  ByteSink sink() {
    return buf;
  }

  /** The file offset of the next byte written. */
  long position() {
    return flushed + buf.length();
  }

  /** Writes the buffer out once it holds {@value #FLUSH_AT} bytes or more. */
  void maybeFlush() throws IOException {
    if (buf.length() >= FLUSH_AT) {
      flush();
    }
  }

  /** Starts a section at the current position; returns that position (the TOC's entry). */
  long beginSection() throws IOException {
    if (sectionStart >= 0) {
      throw new IllegalStateException("section at " + sectionStart + " not ended");
    }
    flush();
    sectionStart = flushed;
    buf.putBE32(0); // the length, patched by endSection
    flushHeader();
    return sectionStart;
  }

  /** Ends the open section: patches its length and appends the CRC of its body. */
  void endSection() throws IOException {
    flush();
    long len = flushed - sectionStart - 4;
    if (len > 0xFFFF_FFFFL) {
      throw new IllegalStateException("index section of " + len + " bytes at " + sectionStart
          + " exceeds the format's 4 GiB");
    }
    ByteBuffer b = ByteBuffer.allocate(4).putInt(0, (int) len);
    writeFully(b, sectionStart);
    buf.putBE32((int) sectionCrc.getValue());
    sectionStart = -1;
  }

  /**
   * Appends the CRC32C of every byte before it, read back from the file, then forces the file
   * to disk; returns the file's length.
   */
  long finish() throws IOException {
    flush();
    CRC32C all = new CRC32C();
    ByteBuffer b = ByteBuffer.allocate(1 << 16);
    for (long at = 0; at < flushed; ) {
      b.clear();
      b.limit((int) Math.min(b.capacity(), flushed - at));
      int r = ch.read(b, at);
      if (r <= 0) {
        throw new IOException("index " + file + " shorter than written (" + at + " of "
            + flushed + " bytes read back)");
      }
      b.flip();
      all.update(b);
      at += r;
    }
    buf.putBE32((int) all.getValue());
    flush();
    ch.force(true);
    return flushed;
  }

  private void flushHeader() throws IOException {
    // The length placeholder is outside the body's CRC.
    writeFully(ByteBuffer.wrap(buf.array(), 0, buf.length()), flushed);
    flushed += buf.length();
    buf.reset();
    sectionCrc.reset();
  }

  private void flush() throws IOException {
    int n = buf.length();
    if (n == 0) {
      return;
    }
    if (sectionStart >= 0) {
      sectionCrc.update(buf.array(), 0, n);
    }
    writeFully(ByteBuffer.wrap(buf.array(), 0, n), flushed);
    flushed += n;
    buf.reset();
  }

  private void writeFully(ByteBuffer b, long at) throws IOException {
    long pos = at;
    while (b.hasRemaining()) {
      pos += ch.write(b, pos);
    }
  }

  @Override
  public void close() throws IOException {
    ch.close();
  }
}
