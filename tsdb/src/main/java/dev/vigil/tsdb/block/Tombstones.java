package dev.vigil.tsdb.block;

import dev.vigil.tsdb.encoding.ByteSink;
import dev.vigil.tsdb.encoding.ByteSource;
import dev.vigil.tsdb.encoding.CorruptDataException;
import dev.vigil.tsdb.encoding.Crc32c;
import dev.vigil.tsdb.encoding.UnsupportedFormatVersionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code tombstones} file of a block: deleted time intervals per series id (format in
 * {@code FORMAT.md}). The only mutable file of a block: rewritten whole (temp file, fsync,
 * atomic rename) on each delete; absent means no deletions.
 */
final class Tombstones {
  static final String FILE = "tombstones";
  /** "VTMB". */
  static final int MAGIC = 0x56544D42;
  static final int VERSION_1 = 1;

  private Tombstones() {}

  static Map<Integer, long[]> read(Path blockDir) {
    Path f = blockDir.resolve(FILE);
    byte[] b;
    try {
      b = Files.readAllBytes(f);
    } catch (NoSuchFileException e) {
      return Map.of();
    } catch (IOException e) {
      throw new UncheckedIOException("reading " + f, e);
    }
    String name = f.toString();
    if (b.length < 12) {
      throw new CorruptDataException(name, 0, "tombstones file of " + b.length
          + " bytes is shorter than header and checksum (12)");
    }
    int stored = ((b[b.length - 4] & 0xFF) << 24) | ((b[b.length - 3] & 0xFF) << 16)
        | ((b[b.length - 2] & 0xFF) << 8) | (b[b.length - 1] & 0xFF);
    int computed = Crc32c.of(b, 0, b.length - 4);
    if (stored != computed) {
      throw new CorruptDataException(name, b.length - 4, "tombstones checksum mismatch: stored 0x"
          + Integer.toHexString(stored) + ", computed 0x" + Integer.toHexString(computed));
    }
    ByteSource in = new ByteSource(name, b, 0, b.length - 4);
    int magic = in.getBE32();
    if (magic != MAGIC) {
      throw new CorruptDataException(name, 0, "bad magic 0x" + Integer.toHexString(magic));
    }
    int version = in.getByte();
    if (version != VERSION_1) {
      throw new UnsupportedFormatVersionException(name, 4, version, VERSION_1, VERSION_1);
    }
    in.skip(3);
    int n = in.getUvarintInt(in.remaining(), "series count");
    Map<Integer, long[]> out = new HashMap<>();
    for (int i = 0; i < n; i++) {
      int id = in.getUvarintInt(Integer.MAX_VALUE, "series id");
      int k = in.getUvarintInt(in.remaining() / 2, "interval count");
      long[] iv = new long[k * 2];
      for (int j = 0; j < iv.length; j++) {
        iv[j] = in.getVarint();
      }
      out.put(id, iv);
    }
    return Map.copyOf(out);
  }

  static void write(Path blockDir, Map<Integer, long[]> tombstones) {
    ByteSink out = new ByteSink();
    out.putBE32(MAGIC).putByte(VERSION_1).putByte(0).putByte(0).putByte(0);
    TreeMap<Integer, long[]> sorted = new TreeMap<>(tombstones);
    out.putUvarint(sorted.size());
    for (Map.Entry<Integer, long[]> e : sorted.entrySet()) {
      out.putUvarint(e.getKey());
      out.putUvarint(e.getValue().length / 2);
      for (long v : e.getValue()) {
        out.putVarint(v);
      }
    }
    out.putBE32(out.crc32c(0));
    Path tmp = blockDir.resolve(FILE + ".tmp");
    try {
      Files.write(tmp, out.toByteArray());
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(tmp, blockDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("writing " + blockDir.resolve(FILE), e);
    }
  }
}
