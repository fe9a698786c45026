package dev.vigil.tsdb.wal;

import dev.vigil.tsdb.encoding.UnsupportedFormatVersionException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads every record of a WAL directory in order, stopping at the first damage: a segment
 * without a valid header, a torn record (the file ends inside it), a length beyond the file, a
 * CRC mismatch or a gap in segment numbers. What was read before is delivered; the damage is
 * returned as a {@link Corruption} for {@link WalRepair}. Streams records through one reused
 * buffer: the consumer must copy what it keeps.
 */
public final class WalReader {
  private WalReader() {}

  /** Receives each record's payload: {@code buf[0, len)}, valid only during the call. */
  @FunctionalInterface
  public interface RecordConsumer {
    void accept(byte[] buf, int len, int segment, long offset);
  }

  /** Where a WAL stops being readable, and why. */
  public record Corruption(int segment, Path file, long offset, String reason) {}

  /**
   * The outcome of a replay.
   *
   * @param records records delivered
   * @param segments segment indexes found, ascending
   * @param corruption the first damage, or null when the whole log was read
   */
  public record Result(long records, int[] segments, Corruption corruption) {}

  /** Segment indexes in {@code dir}, ascending; ignores other files. */
  public static int[] segments(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return new int[0];
    }
    List<Integer> found = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        int idx = WalFormat.segmentIndex(p.getFileName().toString());
        if (idx >= 0 && Files.isRegularFile(p)) {
          found.add(idx);
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

  public static Result read(Path dir, RecordConsumer consumer) {
    return read(dir, consumer, 0);
  }

  /** Reads only segments with an index above {@code after} (those below are in a checkpoint). */
  public static Result read(Path dir, RecordConsumer consumer, int after) {
    try {
      int[] all = segments(dir);
      int from = 0;
      while (from < all.length && all[from] <= after) {
        from++;
      }
      int[] segs = Arrays.copyOfRange(all, from, all.length);
      long records = 0;
      byte[] buf = new byte[1 << 16];
      CRC32C crc = new CRC32C();
      for (int i = 0; i < segs.length; i++) {
        int idx = segs[i];
        Path file = dir.resolve(WalFormat.segmentName(idx));
        if (i > 0 && idx != segs[i - 1] + 1) {
          return new Result(records, segs, new Corruption(idx, file, 0,
              "segment " + idx + " follows segment " + segs[i - 1] + ": segments missing"));
        }
        long size = Files.size(file);
        // A buffer no larger than the segment: every open starts a segment, and a directory
        // restarted often holds many that are empty (a 64 KiB buffer each added up to a young
        // collection in a replay).
        int buffer = (int) Math.max(1, Math.min(1 << 16, size));
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), buffer)) {
          byte[] header = new byte[WalFormat.SEGMENT_HEADER_SIZE];
          if (readFully(in, header, WalFormat.SEGMENT_HEADER_SIZE) < WalFormat.SEGMENT_HEADER_SIZE) {
            return new Result(records, segs, new Corruption(idx, file, 0,
                "segment header truncated: " + size + " bytes, expected at least "
                    + WalFormat.SEGMENT_HEADER_SIZE));
          }
          int magic = be32(header, 0);
          if (magic != WalFormat.MAGIC) {
            return new Result(records, segs, new Corruption(idx, file, 0, "bad magic 0x"
                + Integer.toHexString(magic) + ", expected 0x" + Integer.toHexString(WalFormat.MAGIC)));
          }
          int version = header[4] & 0xFF;
          if (version < WalFormat.VERSION_MIN_READABLE || version > WalFormat.VERSION_CURRENT) {
            throw new UnsupportedFormatVersionException(file.toString(), 4, version,
                WalFormat.VERSION_MIN_READABLE, WalFormat.VERSION_CURRENT);
          }
          if (header[5] != 0 || header[6] != 0 || header[7] != 0) {
            return new Result(records, segs, new Corruption(idx, file, 0,
                "reserved header bytes not zero"));
          }
          long offset = WalFormat.SEGMENT_HEADER_SIZE;
          byte[] rh = new byte[WalFormat.RECORD_HEADER_SIZE];
          while (offset < size) {
            int got = readFully(in, rh, WalFormat.RECORD_HEADER_SIZE);
            if (got < WalFormat.RECORD_HEADER_SIZE) {
              return new Result(records, segs, new Corruption(idx, file, offset,
                  "torn record header: " + got + " of " + WalFormat.RECORD_HEADER_SIZE + " bytes"));
            }
            long len = be32(rh, 0) & 0xFFFFFFFFL;
            if (len > size - offset - WalFormat.RECORD_HEADER_SIZE) {
              return new Result(records, segs, new Corruption(idx, file, offset,
                  "record length " + len + " exceeds the " + (size - offset
                      - WalFormat.RECORD_HEADER_SIZE) + " bytes left in the segment"));
            }
            if (len > buf.length) {
              buf = new byte[(int) Math.max(len, buf.length * 2L)];
            }
            int n = readFully(in, buf, (int) len);
            if (n < len) {
              return new Result(records, segs, new Corruption(idx, file, offset,
                  "torn record: " + n + " of " + len + " payload bytes"));
            }
            int computed = WalFormat.recordCrc(crc, rh, 0, buf, 0, (int) len);
            int expected = be32(rh, 4);
            if (computed != expected) {
              return new Result(records, segs, new Corruption(idx, file, offset,
                  "record checksum mismatch: stored 0x" + Integer.toHexString(expected)
                      + ", computed 0x" + Integer.toHexString(computed)));
            }
            consumer.accept(buf, (int) len, idx, offset);
            records++;
            offset += WalFormat.RECORD_HEADER_SIZE + len;
          }
        }
      }
      return new Result(records, segs, null);
    } catch (IOException e) {
      throw new UncheckedIOException("reading WAL " + dir, e);
    }
  }

  private static int readFully(InputStream in, byte[] b, int len) throws IOException {
    int n = 0;
    while (n < len) {
      int r = in.read(b, n, len - n);
      if (r < 0) {
        break;
      }
      n += r;
    }
    return n;
  }

  /** The big-endian int at {@code b[off, off + 4)}. */
  public static int be32(byte[] b, int off) {
    return ((b[off] & 0xFF) << 24) | ((b[off + 1] & 0xFF) << 16) | ((b[off + 2] & 0xFF) << 8)
        | (b[off + 3] & 0xFF);
  }

}
