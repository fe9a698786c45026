package dev.vigil.tsdb.chunkenc;

import dev.vigil.tsdb.encoding.ByteSink;
import dev.vigil.tsdb.encoding.ByteSource;
import dev.vigil.tsdb.encoding.CorruptDataException;
import java.util.zip.CRC32C;

/**
 * The self-verifying form of a chunk outside memory, laid out as one chunk in a Prometheus
 * chunk segment file: {@code len <uvarint> | encoding <1b> | data <len bytes> | CRC32C <4b>},
 * the CRC covering encoding and data. See {@code FORMAT.md}.
 */
public final class ChunkEnvelope {
  /** Chunks larger than this are rejected on read: a corrupt length must not allocate gigabytes. */
  public static final int MAX_DATA_BYTES = 16 << 20;

  private ChunkEnvelope() {}

  public static void write(ByteSink out, Chunk c) {
    int len = c.byteLength();
    out.putUvarint(len);
    int crcFrom = out.length();
    out.putByte(c.encoding().code());
    byte[] data = c.bytes();
    out.putBytes(data, 0, len);
    out.putBE32(out.crc32c(crcFrom));
  }

  /** Reads one chunk at the source's position, verifying the CRC before decoding anything. */
  public static Chunk read(ByteSource in) {
    long at = in.offset();
    int len = in.getUvarintInt(Math.min(MAX_DATA_BYTES, Math.max(0, in.remaining() - 5)),
        "chunk data length");
    int code = in.getByte();
    byte[] data = new byte[len];
    System.arraycopy(in.array(), in.position(), data, 0, len);
    in.skip(len);
    return verify(in.resource(), at, code, data, len, in.getBE32());
  }

  /**
   * The chunk of an envelope whose parts were read elsewhere (a memory-mapped segment copies
   * the data out once, no more): checks {@code storedCrc} against encoding and {@code
   * data[0, length)}, then wraps them as {@link Chunk#wrap(Encoding, byte[], int, String)} does.
   *
   * @param offset where the envelope starts in {@code resource}, for errors
   */
  public static Chunk verify(String resource, long offset, int code, byte[] data, int length,
      int storedCrc) {
    CRC32C crc = new CRC32C();
    crc.update(code);
    crc.update(data, 0, length);
    int computed = (int) crc.getValue();
    if (computed != storedCrc) {
      throw new CorruptDataException(resource, offset, "chunk checksum mismatch: stored "
          + Integer.toHexString(storedCrc) + ", computed " + Integer.toHexString(computed));
    }
    Encoding enc = Encoding.of(code);
    if (enc == null) {
      StringBuilder known = new StringBuilder();
      for (Encoding e : Encoding.values()) {
        known.append(known.isEmpty() ? "" : ", ").append(e.code()).append(" (").append(e)
            .append(')');
      }
      throw new CorruptDataException(resource, offset, "unknown chunk encoding " + code
          + ", known: " + known);
    }
    return Chunk.wrap(enc, data, length, resource);
  }
}
