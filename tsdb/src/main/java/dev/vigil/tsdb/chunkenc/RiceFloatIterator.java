package dev.vigil.tsdb.chunkenc;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.tsdb.encoding.CorruptDataException;
import java.util.Arrays;

/**
 * Decodes a {@link RiceFloatChunk}. {@link #reset} reads the header; samples are then decoded a
 * group of 32 at a time (both columns into small arrays), and a {@link #seek} past the current
 * segment first jumps to the last segment that starts before the target, restoring the decoder
 * state its skip index entry holds. Allocation-free once the skip arrays have grown to the most
 * segments seen. Lengths, counts and offsets are checked against the bytes present: damaged data
 * throws {@link CorruptDataException}, never loops or allocates by a corrupt count.
 */
public final class RiceFloatIterator extends ChunkSampleIterator {
  private static final int GROUP = RiceGroupWriter.GROUP;
  private static final int ESCAPE = RiceGroupWriter.ESCAPE;
  private static final int PEEK_BITS = BitWindow.VALID_BITS;

  private final long[] tsGroup = new long[GROUP];
  private final long[] valGroup = new long[GROUP];

  private final PackedFields fields = new PackedFields();
  private byte[] data;
  /** The chunk's bytes are {@code data[0, limit)}; the array may be longer (a reused buffer). */
  private int limit;

  private long t0;
  private long interval;
  private int scale;
  private boolean deltaOfDelta;
  private boolean mantissaStarted;
  private long m0;
  private long m;
  private long mDelta;
  private long divisor;
  /** The current sample's raw value bits, when it has no mantissa (else {@link #m} holds it). */
  private long vBits;
  private boolean currentRaw;

  private boolean tsZero;
  private boolean valZero;
  private int segmentSamples;
  private int skipStart;
  private int streamStart;
  /** Position in the chunk's bytes, in bits, and the end of the stream. */
  private long bitPos;
  private long endBit;
  /** Skip entries parsed on the first jump after a reset; -1 until then. */
  private int entries;
  private long[] entryBit = new long[0];
  private long[] entryT = new long[0]; // timestamp of the sample before the segment
  private long[] entryM = new long[0];
  private long[] entryDelta = new long[0];

  RiceFloatIterator() {
    super(ValueKind.FLOAT);
  }

  void reset(byte[] data, int limit, int n, String resource) {
    this.data = data;
    this.limit = limit;
    start(n);
    PackedFields f = fields;
    f.reset(data, 2, limit, resource);
    t = f.varint("first timestamp");
    t0 = t;
    interval = n >= 2 ? f.varint("interval") : 0;
    scale = f.scale();
    deltaOfDelta = f.deltaOfDelta();
    f.rawValues(n);
    mantissaStarted = false;
    m = 0;
    mDelta = 0;
    divisor = 1;
    if (f.rawTotal() < n) {
      m = f.varint("first mantissa");
      divisor = f.uvarint("residual divisor");
      if (divisor == 0) {
        throw f.corrupt("residual divisor 0");
      }
    }
    m0 = m;
    long groups = f.uvarint("segment groups");
    if (groups < 1 || groups > Chunk.MAX_SAMPLES / GROUP) {
      throw f.corrupt("segment of " + groups + " groups, allowed 1.." + Chunk.MAX_SAMPLES / GROUP);
    }
    segmentSamples = (int) groups * GROUP;
    int columns = f.byteAt("column flags");
    if ((columns & ~(RiceFloatChunk.TS_ZERO | RiceFloatChunk.VALUES_ZERO)) != 0) {
      throw f.corrupt("column flags " + columns + ", known: 1 (timestamps zero), 2 (values zero)");
    }
    tsZero = (columns & RiceFloatChunk.TS_ZERO) != 0;
    valZero = (columns & RiceFloatChunk.VALUES_ZERO) != 0;
    if (tsZero) {
      Arrays.fill(tsGroup, 0);
    }
    if (valZero) {
      Arrays.fill(valGroup, 0);
    }
    long skipLen = f.uvarint("skip index length");
    if (skipLen > limit - f.pos) {
      throw f.corrupt("skip index of " + skipLen + " bytes, only " + (limit - f.pos)
          + " left");
    }
    skipStart = f.pos;
    streamStart = f.pos + (int) skipLen;
    entries = -1;
    bitPos = (long) streamStart * 8;
    endBit = (long) limit * 8;
  }

  /** Offset of the group stream in the chunk's bytes (after {@link #reset}). */
  int streamStart() {
    return streamStart;
  }

  @Override
  public ValueKind next() {
    if (read >= numSamples) {
      if (!done) {
        done = true;
        checkStreamEnd();
      }
      return ValueKind.NONE;
    }
    int slot = read & (GROUP - 1);
    if (slot == 0) {
      int count = Math.min(GROUP, numSamples - read);
      if (!tsZero) {
        readGroup(tsGroup, count);
      }
      if (!valZero) {
        readGroup(valGroup, count);
      }
    }
    if (read > 0) {
      t += interval + tsGroup[slot];
    } else if (tsGroup[0] != 0) {
      throw corrupt("first sample's timestamp slot is " + tsGroup[0] + ", must be 0");
    }
    long r = valGroup[slot];
    if (read == fields.nextRaw()) {
      mustBeZero(r);
      vBits = fields.takeRaw();
      currentRaw = true;
    } else {
      if (mantissaStarted) {
        r *= divisor;
        if (deltaOfDelta) {
          mDelta += r;
          m += mDelta;
        } else {
          m += r;
        }
      } else {
        mustBeZero(r); // the first mantissa is in the header
        mantissaStarted = true;
      }
      currentRaw = false; // the value is computed when asked: seeks pass samples unread
    }
    read++;
    return ValueKind.FLOAT;
  }

  @Override
  void jumpTowards(long ts) {
    int k = read / segmentSamples; // entry of the next segment (entry k starts segment k + 1)
    if ((k + 1) * segmentSamples >= numSamples) {
      return;
    }
    if (entries < 0) {
      parseEntries();
    }
    if (entryT[k] >= ts) {
      return;
    }
    while (k + 1 < entries && entryT[k + 1] < ts) {
      k++;
    }
    int s = (k + 1) * segmentSamples;
    bitPos = (long) streamStart * 8 + entryBit[k];
    while (fields.nextRaw() >= 0 && fields.nextRaw() < s) {
      fields.takeRaw();
    }
    // Whether a sample before s had a mantissa.
    mantissaStarted = s > fields.rawTotal() - fields.rawLeft();
    m = entryM[k];
    mDelta = entryDelta[k];
    t = entryT[k];
    read = s;
  }

  private void parseEntries() {
    int count = (numSamples - 1) / segmentSamples;
    if (entryBit.length < count) {
      entryBit = new long[count];
      entryT = new long[count];
      entryM = new long[count];
      entryDelta = new long[count];
    }
    PackedFields f = fields;
    f.window(skipStart, streamStart);
    long streamBits = (long) (limit - streamStart) * 8;
    long bit = 0;
    long em = m0;
    long prevM = m0;
    long ed = 0;
    for (int k = 0; k < count; k++) {
      if (!tsZero || !valZero) {
        bit += f.uvarint("skip entry bit offset");
        if (bit >= streamBits || bit < 0) {
          throw f.corrupt("skip entry " + k + " at bit " + bit + " of a " + streamBits
              + "-bit stream");
        }
      }
      long s = (long) (k + 1) * segmentSamples;
      entryBit[k] = bit;
      entryT[k] = t0 + (s - 1) * interval + (tsZero ? 0 : f.varint("skip entry timestamp"));
      if (!valZero) {
        long predicted = em + (deltaOfDelta ? ed * segmentSamples : em - prevM);
        prevM = em;
        em = predicted + f.varint("skip entry mantissa");
        if (deltaOfDelta) {
          ed += f.varint("skip entry delta");
        }
      }
      entryM[k] = em;
      entryDelta[k] = ed;
    }
    if (f.pos != streamStart) {
      throw f.corrupt((streamStart - f.pos) + " bytes after " + count + " skip entries");
    }
    f.window(f.pos, limit); // raw value gaps are read on as samples go by
    entries = count;
  }

  /**
   * Decodes one group. Values are read from 64-bit windows ({@link #peek}): a value whose unary
   * part and low bits fit one window (nearly all) costs one load and a few shifts. Bits past the
   * end read as zeros; the position is checked against the end after each group.
   */
  private void readGroup(long[] out, int count) {
    if (bitPos >= endBit) {
      throw corrupt("stream ends before the group of sample " + read);
    }
    boolean zero = peek() >= 0; // the top bit is the group's '1'
    bitPos++;
    if (zero) {
      Arrays.fill(out, 0, count, 0);
      return;
    }
    int k = (int) take(RiceGroupWriter.K_BITS);
    for (int i = 0; i < count; i++) {
      long w = peek();
      int ones = Long.numberOfLeadingZeros(~w);
      long u;
      if (ones >= ESCAPE) {
        bitPos += ESCAPE;
        u = take(32) << 32 | take(32);
      } else if (ones + 1 + k <= PEEK_BITS) {
        u = (long) ones << k | (k == 0 ? 0 : (w << (ones + 1)) >>> (64 - k));
        bitPos += ones + 1 + k;
      } else {
        bitPos += ones + 1;
        u = (long) ones << k | (k <= PEEK_BITS - 1 ? take(k) : take(k - 32) << 32 | take(32));
      }
      out[i] = (u >>> 1) ^ -(u & 1);
    }
    if (bitPos > endBit) {
      throw corrupt("stream ends inside the group of sample " + read);
    }
  }

  /** The 64 bits from {@link #bitPos} on; see {@link BitWindow}. */
  private long peek() {
    return BitWindow.at(data, limit, bitPos);
  }

  /** Reads {@code n <= 56} bits. */
  private long take(int n) {
    long v = n == 0 ? 0 : peek() >>> (64 - n);
    bitPos += n;
    return v;
  }

  private void mustBeZero(long r) {
    if (r != 0) {
      throw corrupt("value slot of sample " + read + " is " + r
          + ", must be 0 (a raw value or the first mantissa)");
    }
  }

  /** After the last sample: only the zero padding to the byte boundary may be left. */
  private void checkStreamEnd() {
    long left = endBit - bitPos;
    if (left < 0 || left >= 8 || take((int) left) != 0) {
      throw corrupt("stream holds " + left + " bits after " + numSamples + " samples");
    }
  }

  @Override
  public double atF() {
    return currentRaw ? Double.longBitsToDouble(vBits) : DecimalScale.value(m, scale);
  }

  @Override
  public FloatHistogram atHistogram() {
    throw new IllegalStateException("packed float chunks hold floats only");
  }

  /** An error at the stream's current byte. */
  private CorruptDataException corrupt(String problem) {
    return fields.corruptAt((int) (bitPos >>> 3), problem);
  }
}
