package dev.vigil.collector.remote;

import dev.vigil.tsdb.encoding.CorruptDataException;
import dev.vigil.tsdb.encoding.UnsupportedFormatVersionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * A queue's durable sent position: every sample in records before it has been delivered or
 * dropped with a counted reason. 24 bytes, layout in {@code FORMAT.md}; replaced atomically
 * (write {@code position.tmp}, fsync, rename, fsync the directory) so a crash leaves the old or
 * the new position, never a torn one.
 */
final class PositionFile {
  static final String NAME = "position";
  static final int MAGIC = 0x56525750; // "VRWP"
  static final int VERSION_1 = 1;
  static final int VERSION_CURRENT = VERSION_1;
  static final int VERSION_MIN_READABLE = VERSION_1;
  static final int SIZE = 24;

  private PositionFile() {}

  static byte[] encode(WalPosition p) {
    ByteBuffer b = ByteBuffer.allocate(SIZE);
    b.putInt(MAGIC).put((byte) VERSION_CURRENT).put((byte) 0).put((byte) 0).put((byte) 0);
    b.putInt(p.segment()).putLong(p.offset());
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, SIZE - 4);
    b.putInt((int) crc.getValue());
    return b.array();
  }

  /**
   * @throws CorruptDataException naming the file, offset and what is wrong
   * @throws UnsupportedFormatVersionException for a version outside [1, 1]
   */
  static WalPosition decode(String resource, byte[] b) {
    if (b.length != SIZE) {
      throw new CorruptDataException(resource, 0, "position file is " + b.length + " bytes, expected " + SIZE);
    }
    ByteBuffer in = ByteBuffer.wrap(b);
    int magic = in.getInt();
    if (magic != MAGIC) {
      throw new CorruptDataException(resource, 0, "bad magic 0x" + Integer.toHexString(magic)
          + ", expected 0x" + Integer.toHexString(MAGIC));
    }
    int version = in.get() & 0xFF;
    if (version < VERSION_MIN_READABLE || version > VERSION_CURRENT) {
      throw new UnsupportedFormatVersionException(resource, 4, version, VERSION_MIN_READABLE, VERSION_CURRENT);
    }
    CRC32C crc = new CRC32C();
    crc.update(b, 0, SIZE - 4);
    int stored = ByteBuffer.wrap(b, SIZE - 4, 4).getInt();
    if (stored != (int) crc.getValue()) {
      throw new CorruptDataException(resource, SIZE - 4, "checksum mismatch: stored 0x"
          + Integer.toHexString(stored) + ", computed 0x" + Integer.toHexString((int) crc.getValue()));
    }
    if (b[5] != 0 || b[6] != 0 || b[7] != 0) {
      throw new CorruptDataException(resource, 5, "reserved bytes are not zero");
    }
    in.position(8);
    int segment = in.getInt();
    long offset = in.getLong();
    if (segment < 0 || offset < 0) {
      throw new CorruptDataException(resource, 8, "negative position " + segment + ":" + offset);
    }
    return new WalPosition(segment, offset);
  }

  /** The saved position in {@code queueDir}, or null when none was saved yet. */
  static WalPosition read(Path queueDir) {
    Path f = queueDir.resolve(NAME);
    try {
      if (!Files.exists(f)) {
        return null;
      }
      return decode(f.toString(), Files.readAllBytes(f));
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + f, e);
    }
  }

  static void write(Path queueDir, WalPosition p) {
    Path tmp = queueDir.resolve(NAME + ".tmp");
    Path f = queueDir.resolve(NAME);
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer b = ByteBuffer.wrap(encode(p));
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true);
      }
      Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      syncDir(queueDir);
    } catch (IOException e) {
      throw new UncheckedIOException("saving remote-write position " + p + " to " + f, e);
    }
  }

  private static void syncDir(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Not every OS or file system can open a directory; the file itself was forced.
    }
  }
}
