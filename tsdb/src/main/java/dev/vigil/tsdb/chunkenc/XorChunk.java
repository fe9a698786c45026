package dev.vigil.tsdb.chunkenc;

import dev.vigil.model.storage.SampleIterator;
import dev.vigil.tsdb.encoding.CorruptDataException;
import java.util.Arrays;

/**
 * Gorilla XOR float chunk with delta-of-delta timestamps, byte-compatible with Prometheus's
 * {@code XORChunk} (layout in {@code FORMAT.md}). Created empty it accepts {@link #append} from
 * one thread; {@link #wrap} gives a read-only chunk over stored bytes.
 */
public final class XorChunk extends BitWriter implements Chunk {
  private static final String RESOURCE = "xor chunk";

  /** Initial bytes of a head chunk's buffer: header + first sample + ~10 compressed samples. */
  static final int INITIAL_BYTES = 32;

  private final boolean writable;
  private final String resource;
  private int numSamples;

  // Appender state: the previous sample and the XOR window.
  private long t;
  private long tDelta;
  private long vBits;
  private int leading = 0xFF; // 0xFF: no window yet
  private int trailing;

  public XorChunk() {
    super(INITIAL_BYTES);
    writeBits(0, 16);
    writable = true;
    resource = RESOURCE;
  }

  private XorChunk(byte[] data, String resource) {
    super(data);
    writable = false;
    this.resource = resource;
    numSamples = ((data[0] & 0xFF) << 8) | (data[1] & 0xFF);
  }

  /** A read-only chunk over {@code data}; the array is owned by the chunk from now on. */
  public static XorChunk wrap(byte[] data, String resource) {
    if (data.length < 2) {
      throw new CorruptDataException(resource, 0, "xor chunk of " + data.length
          + " bytes, expected at least the 2-byte sample count");
    }
    return new XorChunk(data, resource);
  }

  @Override
  public Encoding encoding() {
    return Encoding.XOR;
  }

  @Override
  public int numSamples() {
    return numSamples;
  }

  @Override
  public int byteLength() {
    return writtenBytes();
  }

  @Override
  public byte[] bytes() {
    return Arrays.copyOf(buffer(), writtenBytes());
  }

  /** Drops the unused tail of the buffer; the chunk must not be appended to afterwards. */
  @Override
  public void trimToSize() {
    trimBuffer();
  }

  /** Whether another sample fits. */
  public boolean isFull() {
    return numSamples >= MAX_SAMPLES;
  }

  /**
   * Appends a sample; the caller guarantees {@code t} is greater than the last timestamp (the
   * head checks order before it gets here).
   */
  public void append(long ts, double v) {
    if (!writable) {
      throw new IllegalStateException("append to a read-only chunk");
    }
    if (numSamples >= MAX_SAMPLES) {
      throw new IllegalStateException("chunk full at " + numSamples + " samples");
    }
    long vb = Double.doubleToRawLongBits(v);
    if (numSamples == 0) {
      long u = (ts << 1) ^ (ts >> 63);
      writeUvarint(u);
      writeBits(vb, 64);
    } else if (numSamples == 1) {
      tDelta = ts - t;
      writeUvarint(tDelta);
      writeValue(vb);
    } else {
      long newDelta = ts - t;
      long dod = newDelta - tDelta;
      if (dod == 0) {
        writeBit(false);
      } else if (fits(dod, 14)) {
        writeBits(0b10, 2);
        writeBits(dod, 14);
      } else if (fits(dod, 17)) {
        writeBits(0b110, 3);
        writeBits(dod, 17);
      } else if (fits(dod, 20)) {
        writeBits(0b1110, 4);
        writeBits(dod, 20);
      } else {
        writeBits(0b1111, 4);
        writeBits(dod, 64);
      }
      tDelta = newDelta;
      writeValue(vb);
    }
    t = ts;
    vBits = vb;
    numSamples++;
    setByte(0, numSamples >>> 8);
    setByte(1, numSamples);
  }

  /** Prometheus's {@code bitRange}: whether x fits the asymmetric range of an nbits field. */
  private static boolean fits(long x, int nbits) {
    return -((1L << (nbits - 1)) - 1) <= x && x <= (1L << (nbits - 1));
  }

  private void writeUvarint(long u) {
    while ((u & ~0x7FL) != 0) {
      writeByte((int) ((u & 0x7F) | 0x80));
      u >>>= 7;
    }
    writeByte((int) u);
  }

  private void writeValue(long vb) {
    long xor = vb ^ vBits;
    if (xor == 0) {
      writeBit(false);
      return;
    }
    writeBit(true);
    int lead = Long.numberOfLeadingZeros(xor);
    int trail = Long.numberOfTrailingZeros(xor);
    if (lead >= 32) {
      lead = 31; // the field is 5 bits wide
    }
    if (leading != 0xFF && lead >= leading && trail >= trailing) {
      writeBit(false);
      writeBits(xor >>> trailing, 64 - leading - trailing);
    } else {
      leading = lead;
      trailing = trail;
      writeBit(true);
      writeBits(lead, 5);
      int sig = 64 - lead - trail;
      writeBits(sig, 6); // 64 is written as 0
      writeBits(xor >>> trail, sig);
    }
  }

  @Override
  public SampleIterator iterator(SampleIterator reuse) {
    XorIterator it = reuse instanceof XorIterator x ? x : new XorIterator();
    it.reset(buffer(), writtenBytes(), numSamples, resource);
    return it;
  }
}
