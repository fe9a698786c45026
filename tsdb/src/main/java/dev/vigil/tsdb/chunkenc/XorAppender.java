package dev.vigil.tsdb.chunkenc;

import dev.vigil.model.storage.SampleIterator;
import dev.vigil.tsdb.encoding.ByteSink;
import java.util.Arrays;

/**
 * The Gorilla XOR encoder (byte-compatible with Prometheus's {@code xorAppender}, layout in
 * {@code FORMAT.md}) as a base class, so its state can live inside the object that appends: a
 * {@link XorChunk}, or a head series whose open float chunk is then no object of its own (one
 * cache line fewer per appended sample, and ~70 B less per series). One writer; readers take
 * {@link #xorIterator} under the writer's lock and may iterate after it is released: bits once
 * written never change and a closed stream's array is never written again.
 *
 * <p>The 2-byte sample count of the chunk format is filled in when the bytes are copied out
 * ({@link #xorBytes}), not at each append (it would be another cache line per sample).
 */
public abstract class XorAppender extends BitWriter {
  /** Initial bytes of a head chunk's buffer: header + first sample + ~10 compressed samples. */
  static final int INITIAL_BYTES = 32;

  private int numSamples;
  // The previous sample and the XOR window.
  private long t;
  private long tDelta;
  private long vBits;
  private int leading = 0xFF; // 0xFF: no window yet
  private int trailing;

  /** An empty stream with its buffer allocated ({@code started}) or at the first append. */
  protected XorAppender(boolean started) {
    super(started ? INITIAL_BYTES : 0);
    if (started) {
      writeBits(0, 16); // the sample count, filled in by xorBytes
    }
  }

  /** Over the bytes of a stored chunk (read-only: the caller never appends). */
  XorAppender(byte[] data) {
    super(data);
    numSamples = ((data[0] & 0xFF) << 8) | (data[1] & 0xFF);
  }

  /** Samples in the stream. */
  protected final int xorSamples() {
    return numSamples;
  }

  /**
   * Appends a sample; the caller guarantees {@code ts} is greater than the last timestamp (the
   * head checks order before it gets here) and that fewer than {@link Chunk#MAX_SAMPLES} are in.
   */
  protected final void appendXor(long ts, double v) {
    long vb = Double.doubleToRawLongBits(v);
    if (numSamples == 0) {
      if (writtenBytes() == 0) {
        restart(INITIAL_BYTES);
        writeBits(0, 16);
      }
      writeVarint(ts);
      writeBits(vb, 64);
    } else if (numSamples == 1) {
      tDelta = ts - t;
      writeUvarint(tDelta);
      writeValue(vb, 0, 0);
    } else {
      long newDelta = ts - t;
      long dod = newDelta - tDelta;
      tDelta = newDelta;
      // The timestamp's bits go out with the value's (see writeValue): one or two writes per
      // sample instead of five or six.
      if (dod == 0) {
        writeValue(vb, 0, 1);
      } else if (fits(dod, 14)) {
        writeValue(vb, (0b10L << 14) | (dod & 0x3FFF), 16);
      } else if (fits(dod, 17)) {
        writeValue(vb, (0b110L << 17) | (dod & 0x1FFFF), 20);
      } else if (fits(dod, 20)) {
        writeValue(vb, (0b1110L << 20) | (dod & 0xFFFFF), 24);
      } else {
        writeBits(0b1111, 4);
        writeBits(dod, 64);
        writeValue(vb, 0, 0);
      }
    }
    t = ts;
    vBits = vb;
    numSamples++;
  }

  /** Samples a stream holds before {@link #reserveXor} projects from their rate. */
  static final int RESERVE_AFTER_SAMPLES = 8;

  /**
   * Grows the buffer, in one copy, to what {@code samples} samples take at the mean size of the
   * samples after the first so far, plus an eighth and the 8 bytes a write reads ahead, when it
   * is smaller: for a writer that knows more samples are coming at once (WAL replay), where
   * growing by half at each overflow on the way made a third of what a young head's replay
   * allocated. Nothing before {@link #RESERVE_AFTER_SAMPLES} samples: no rate to go by yet.
   *
   * <p>A replay calls this again before each window's few samples of the series, and the
   * projection creeps up as they come in a little larger than those before: the buffer grows
   * again only when the projection without its margin no longer fits, not whenever the margin
   * does not (a crash 15 min after a head snapshot copied its 100k series' open chunks 2.6
   * times each, 59 MB, instead of 1.2 times, 26 MB).
   */
  protected final void reserveXor(int samples) {
    byte[] b = buffer();
    int written = writtenBytes();
    long rest = projectedRest(b, 0, written, numSamples, samples);
    if (rest >= 0 && written + rest + 8 > b.length) {
      reserve(withMargin(written, rest));
    }
  }

  /**
   * The bytes that the samples after the first {@code n} take until there are {@code samples},
   * at the mean size of the samples after the first in the stream's {@code written} bytes at
   * {@code data[off]} (its encoding from the 2-byte count on); -1 when there is nothing to
   * project: fewer than {@link #RESERVE_AFTER_SAMPLES} samples (no rate to go by yet), or no
   * more to come.
   */
  private static long projectedRest(byte[] data, int off, int written, int n, int samples) {
    if (n < RESERVE_AFTER_SAMPLES || samples <= n) {
      return -1;
    }
    // The first sample: after the 2-byte count, its timestamp as a varint and its value's bits.
    int first = 2;
    while (first < written && (data[off + first] & 0x80) != 0) {
      first++;
    }
    first += 1 + 8;
    return (long) Math.max(0, written - first) * (samples - n) / (n - 1);
  }

  /** The room {@link #reserveXor} makes: the projection, an eighth more, the 8 read ahead. */
  private static int withMargin(int written, long rest) {
    return (int) Math.min(Integer.MAX_VALUE - 8, written + rest + (rest >> 3) + 8);
  }

  /** Prometheus's {@code bitRange}: whether x fits the asymmetric range of an nbits field. */
  static boolean fits(long x, int nbits) {
    return -((1L << (nbits - 1)) - 1) <= x && x <= (1L << (nbits - 1));
  }

  /**
   * Writes {@code prefixBits} bits of {@code prefix} (the timestamp's, at most 24), then the
   * value: the control bits and header joined to the prefix, and the significant bits in the
   * same write when all fit in 64.
   */
  private void writeValue(long vb, long prefix, int prefixBits) {
    long xor = vb ^ vBits;
    if (xor == 0) {
      writeBits(prefix << 1, prefixBits + 1); // '0'
      return;
    }
    int lead = Long.numberOfLeadingZeros(xor);
    int trail = Long.numberOfTrailingZeros(xor);
    if (lead >= 32) {
      lead = 31; // the field is 5 bits wide
    }
    long head;
    int headBits;
    int sig;
    if (leading != 0xFF && lead >= leading && trail >= trailing) {
      head = (prefix << 2) | 0b10; // '10': the previous window
      headBits = prefixBits + 2;
      sig = 64 - leading - trailing;
    } else {
      leading = lead;
      trailing = trail;
      sig = 64 - lead - trail;
      // '11', 5 bits of leading zeros, 6 bits of significant bits (64 is written as 0)
      head = (prefix << 13) | (0b11L << 11) | ((long) lead << 6) | (sig & 0x3F);
      headBits = prefixBits + 13;
    }
    long bits = xor >>> trailing;
    if (headBits + sig <= 64) {
      writeBits((head << sig) | bits, headBits + sig);
    } else {
      writeBits(head, headBits);
      writeBits(bits, sig);
    }
  }

  /** A copy of the chunk bytes: the sample count, then the stream. */
  protected final byte[] xorBytes() {
    byte[] b = Arrays.copyOf(buffer(), Math.max(2, writtenBytes()));
    b[0] = (byte) (numSamples >>> 8);
    b[1] = (byte) numSamples;
    return b;
  }

  /** An iterator over the samples appended so far. */
  protected final SampleIterator xorIterator(SampleIterator reuse, String resource) {
    XorIterator it = reuse instanceof XorIterator x ? x : new XorIterator();
    it.reset(buffer(), writtenBytes(), numSamples, resource);
    return it;
  }

  /**
   * Ends the stream: returns it as a read-only chunk (trimmed to its bytes) and starts an empty
   * one whose buffer is allocated at its first append. Readers of the old stream keep it.
   */
  protected final XorChunk closeXor() {
    XorChunk c = XorChunk.wrap(xorBytes(), XorChunk.RESOURCE);
    clearXor();
    return c;
  }

  /**
   * The encoder's whole state: the stream so far and what the next append continues from. A
   * saved state resumed later ({@link #resumeXor}) appends exactly as this encoder would.
   *
   * @param bytes the stream's bytes (the first two, the sample count, as {@link #xorBytes}
   *     fills them in), at least {@code (bitLength + 7) / 8}
   * @param bitLength bits written, the 16-bit sample count included
   * @param samples samples in the stream
   * @param t the last sample's timestamp
   * @param tDelta the last timestamp delta (0 with one sample)
   * @param vBits the last value's bits
   * @param leading the XOR window's leading zeros, {@code 0xFF} before the first window
   * @param trailing the XOR window's trailing zeros
   */
  public record XorState(byte[] bytes, long bitLength, int samples, long t, long tDelta,
      long vBits, int leading, int trailing) {
    /**
     * Writes the chunk bytes, {@code ceil(bitLength / 8)} of them, as {@link #xorBytes} would
     * give them: the sample count in the first two, the bits after {@code bitLength} cleared
     * (whether {@code bytes} is a copy or the live buffer of {@link #xorStateView}).
     */
    public void writeChunkBytes(ByteSink out) {
      int n = (int) ((bitLength + 7) >>> 3);
      out.putByte(samples >>> 8);
      out.putByte(samples);
      out.putBytes(bytes, 2, n - 3);
      int used = (int) (bitLength & 7);
      int last = bytes[n - 1];
      out.putByte(used == 0 ? last : last & (0xFF << (8 - used)));
    }

    public XorState {
      if (samples < 1 || samples > Chunk.MAX_SAMPLES) {
        throw new IllegalArgumentException("open chunk with " + samples + " samples");
      }
      if (bitLength < 16 + 8 || (bitLength + 7) >>> 3 > bytes.length) {
        throw new IllegalArgumentException("open chunk of " + bitLength + " bits in "
            + bytes.length + " bytes");
      }
      if ((leading != 0xFF && (leading < 0 || leading > 31)) || trailing < 0 || trailing > 63) {
        throw new IllegalArgumentException("XOR window of " + leading + " leading and "
            + trailing + " trailing zeros");
      }
    }
  }

  /** The state of a stream holding samples (see {@link XorState}). */
  protected final XorState xorState() {
    if (numSamples == 0) {
      throw new IllegalStateException("empty stream");
    }
    return new XorState(xorBytes(), bitLength(), numSamples, t, tDelta, vBits, leading,
        trailing);
  }

  /**
   * As {@link #xorState}, without copying the stream: {@code bytes} is the live buffer. Its
   * first {@code bitLength} bits never change, but the sample count (the first two bytes) is not
   * filled in and later appends add bits after {@code bitLength}, in the last byte too: use
   * {@link XorState#writeChunkBytes}, which fills in the one and masks the other. For a head
   * snapshot, written out while commits go on.
   */
  protected final XorState xorStateView() {
    if (numSamples == 0) {
      throw new IllegalStateException("empty stream");
    }
    return new XorState(buffer(), bitLength(), numSamples, t, tDelta, vBits, leading, trailing);
  }

  /**
   * The size of an array that {@link #resumeXor} in place takes over as its buffer, without a
   * copy, for a stream of {@code samples} samples in {@code bytes} bytes at {@code data[off]}:
   * what resuming would grow it to; or, when samples up to {@code projectTo} come next (the WAL
   * replayed after a head snapshot), the room {@link #reserveXor} would make for them, so that
   * the replay does not copy the buffer again. {@code projectTo} 0: none come next.
   */
  public static int resumeRoom(byte[] data, int off, int bytes, int samples, int projectTo) {
    int room = BitWriter.resumeRoom(bytes);
    long rest = projectedRest(data, off, bytes, samples, projectTo);
    return rest < 0 ? room : Math.max(room, withMargin(bytes, rest));
  }

  /**
   * Continues the stream {@code s} was taken from; this stream must be empty. With
   * {@code inPlace}, {@code s.bytes()} becomes the buffer when it has room to grow (a state
   * decoded for this stream alone: a head snapshot's) instead of being copied.
   */
  protected final void resumeXor(XorState s, boolean inPlace) {
    if (numSamples != 0) {
      throw new IllegalStateException("resume into a stream holding " + numSamples + " samples");
    }
    resume(s.bytes(), s.bitLength(), inPlace);
    buffer()[0] = 0; // the count is filled in when the bytes are copied out
    buffer()[1] = 0;
    numSamples = s.samples();
    t = s.t();
    tDelta = s.tDelta();
    vBits = s.vBits();
    leading = s.leading();
    trailing = s.trailing();
  }

  /** Drops the stream (its samples left the head); the next append starts a new one. */
  protected final void clearXor() {
    restart(0);
    numSamples = 0;
    leading = 0xFF;
    trailing = 0;
  }

  /**
   * Reads the buffer's last written byte, where the next append writes: called ahead of the
   * append so that its cache miss overlaps other work (see {@code MemSeries.touch}).
   */
  public final int tailByte() {
    int n = writtenBytes();
    return n == 0 ? 0 : buffer()[n - 1];
  }
}
