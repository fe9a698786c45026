package dev.vigil.tsdb.chunkenc;

import dev.vigil.tsdb.encoding.ByteSink;
import dev.vigil.tsdb.encoding.ByteSource;
import dev.vigil.tsdb.encoding.Crc32c;

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
    int len = in.getUvarintInt(Math.min(MAX_DATA_BYTES, Math.max(0, in.remaining() - 5)),
        "chunk data length");
    int crcFrom = in.position();
    int code = in.getByte();
    in.skip(len);
    int expected = Crc32c.of(in.array(), crcFrom, len + 1);
    int actual = in.getBE32();
    if (expected != actual) {
      throw in.corrupt("chunk checksum mismatch: stored " + Integer.toHexString(actual)
          + ", computed " + Integer.toHexString(expected));
    }
    Encoding enc = Encoding.of(code);
    if (enc == null) {
      throw in.corrupt("unknown chunk encoding " + code
          + ", known: 1 (XOR), 16 (histogram v1), 32 (packed float v1)");
    }
    byte[] data = new byte[len];
    System.arraycopy(in.array(), crcFrom + 1, data, 0, len);
    return Chunk.wrap(enc, data, in.resource());
  }
}
