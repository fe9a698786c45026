package dev.vigil.tsdb.wal;

import dev.vigil.tsdb.encoding.UnsupportedFormatVersionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Reads the records of one segment from a byte offset on, for a consumer that follows a live
 * log (the remote-write watcher). Unlike {@link WalReader}, running into the end of the data is
 * not damage: the writer may be in the middle of a batch, so a record cut short stops the read
 * with {@link Stop#INCOMPLETE} and the next call starts again at the same record. Only bytes
 * that are all there and still fail the checks are {@link Stop#CORRUPT}. Whether an incomplete
 * tail is final is the caller's call: it is, once a later segment exists.
 *
 * <p>Reuses one buffer; not thread-safe. The consumer must copy what it keeps.
 */
public final class WalTailReader {
  /** Why a read stopped. */
  public enum Stop {
    /** Every byte of the segment was consumed. */
    END,
    /** The segment ends inside a header or record: more may still be written. */
    INCOMPLETE,
    /** A complete record (or the segment header) fails its checks. */
    CORRUPT
  }

  /**
   * Where a read stopped.
   *
   * @param offset the offset of the first record not delivered (where to resume)
   * @param stop why the read stopped
   * @param reason for {@link Stop#CORRUPT} (and {@link Stop#INCOMPLETE}), what was found
   */
  public record Progress(long offset, Stop stop, String reason) {}

  private ByteBuffer buf = ByteBuffer.allocate(1 << 16);
  private final ByteBuffer header = ByteBuffer.allocate(WalFormat.RECORD_HEADER_SIZE);
  private final CRC32C crc = new CRC32C();

  /**
   * Delivers the complete records of segment {@code segment} in {@code dir} that start at or
   * after {@code from} (use {@link WalFormat#SEGMENT_HEADER_SIZE}, or 0, for the first record;
   * otherwise an offset this method returned). A missing segment file reads as empty and
   * incomplete.
   *
   * @throws UnsupportedFormatVersionException for a segment of another format version
   */
  public Progress read(Path dir, int segment, long from, WalReader.RecordConsumer consumer) {
    Path file = dir.resolve(WalFormat.segmentName(segment));
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      long offset = Math.max(from, 0);
      if (offset < WalFormat.SEGMENT_HEADER_SIZE) {
        if (size < WalFormat.SEGMENT_HEADER_SIZE) {
          return new Progress(0, Stop.INCOMPLETE, "segment header not written yet");
        }
        ByteBuffer h = ByteBuffer.allocate(WalFormat.SEGMENT_HEADER_SIZE);
        readFully(ch, h, 0);
        byte[] hb = h.array();
        int magic = WalReader.be32(hb, 0);
        if (magic != WalFormat.MAGIC) {
          return new Progress(0, Stop.CORRUPT, "bad magic 0x" + Integer.toHexString(magic)
              + " in " + file);
        }
        int version = hb[4] & 0xFF;
        if (version < WalFormat.VERSION_MIN_READABLE || version > WalFormat.VERSION_CURRENT) {
          throw new UnsupportedFormatVersionException(file.toString(), 4, version,
              WalFormat.VERSION_MIN_READABLE, WalFormat.VERSION_CURRENT);
        }
        offset = WalFormat.SEGMENT_HEADER_SIZE;
      }
      while (true) {
        long left = size - offset;
        if (left < 0) {
          // The segment was cut shorter than where the caller got to (a repair): nothing more.
          return new Progress(offset, Stop.CORRUPT, "segment " + file + " is " + size
              + " bytes, shorter than the read position " + offset);
        }
        if (left == 0) {
          return new Progress(offset, Stop.END, null);
        }
        if (left < WalFormat.RECORD_HEADER_SIZE) {
          return new Progress(offset, Stop.INCOMPLETE, "record header cut short: " + left
              + " of " + WalFormat.RECORD_HEADER_SIZE + " bytes at offset " + offset + " of " + file);
        }
        header.clear();
        readFully(ch, header, offset);
        byte[] rh = header.array();
        long len = WalReader.be32(rh, 0) & 0xFFFFFFFFL;
        if (len > left - WalFormat.RECORD_HEADER_SIZE) {
          return new Progress(offset, Stop.INCOMPLETE, "record of " + len + " bytes at offset "
              + offset + " of " + file + " has only " + (left - WalFormat.RECORD_HEADER_SIZE)
              + " bytes so far");
        }
        if (len > buf.capacity()) {
          buf = ByteBuffer.allocate((int) Math.max(len, buf.capacity() * 2L));
        }
        buf.clear().limit((int) len);
        readFully(ch, buf, offset + WalFormat.RECORD_HEADER_SIZE);
        int computed = WalFormat.recordCrc(crc, rh, 0, buf.array(), 0, (int) len);
        int expected = WalReader.be32(rh, 4);
        if (computed != expected) {
          return new Progress(offset, Stop.CORRUPT, "record checksum mismatch at offset " + offset
              + " of " + file + ": stored 0x" + Integer.toHexString(expected) + ", computed 0x"
              + Integer.toHexString(computed));
        }
        consumer.accept(buf.array(), (int) len, segment, offset);
        offset += WalFormat.RECORD_HEADER_SIZE + len;
      }
    } catch (NoSuchFileException e) {
      return new Progress(from, Stop.INCOMPLETE, "segment " + file + " does not exist");
    } catch (IOException e) {
      throw new UncheckedIOException("reading WAL segment " + file, e);
    }
  }

  private static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
    long pos = at;
    while (b.hasRemaining()) {
      int n = ch.read(b, pos);
      if (n < 0) {
        throw new IOException("unexpected end of file at offset " + pos);
      }
      pos += n;
    }
  }
}
