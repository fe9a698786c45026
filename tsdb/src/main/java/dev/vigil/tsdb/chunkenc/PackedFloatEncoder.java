package dev.vigil.tsdb.chunkenc;

import dev.vigil.tsdb.encoding.ByteSink;
import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * Builds packed float chunks from sample arrays, for block writers (compaction time, not the
 * head's append path): {@link #encode} writes v2 ({@link RiceFloatChunk}, what blocks hold),
 * {@link #encodeV1} the DEFLATE-compressed v1 ({@link PackedFloatChunk}, still read from older
 * blocks). Reusable and allocation-light: scratch arrays grow to the largest chunk. Holds a
 * native {@link Deflater} once v1 was written: {@link #close()} it. Not thread-safe.
 *
 * <p>Choices made per chunk: the timestamp interval (majority, else median delta), the decimal
 * scale (the smallest one that fits all but 1/64 of the values; the rest are stored raw), the value
 * predictor (delta for gauges and bumpy counters, delta of delta for steady counters; whichever
 * makes the smaller residuals), the residuals' common divisor; for v2 a Rice parameter per group
 * of 32 residuals, for v1 whether DEFLATE pays (else the body is stored as is).
 */
public final class PackedFloatEncoder implements AutoCloseable {
  private static final String RESOURCE = "packed float chunk";
  /** Samples per v2 segment (a skip index entry each): 4 groups of 32, about an XOR chunk. */
  public static final int DEFAULT_SEGMENT_GROUPS = 4;

  private final int deflateLevel;
  private final int segmentGroups;
  private Deflater deflater;
  private final ByteSink body = new ByteSink(4096);
  private final ZeroRunColumn tsCol = new ZeroRunColumn(new ByteSink(256));
  private final ZeroRunColumn valCol = new ZeroRunColumn(new ByteSink(4096));
  private final RiceGroupWriter stream = new RiceGroupWriter();
  private final ByteSink skips = new ByteSink(256);
  private final int[] scaleCounts = new int[DecimalScale.MAX + 1];
  private int[] scales = new int[0];
  private long[] mantissas = new long[0];
  private long[] tsSlots = new long[0];
  private long[] valSlots = new long[0];
  private byte[] out = new byte[0];

  /** v2 segments of the default size; v1 with DEFLATE at its best compression. */
  public PackedFloatEncoder() {
    this(Deflater.BEST_COMPRESSION, DEFAULT_SEGMENT_GROUPS);
  }

  /** @param deflateLevel 0-9, as {@link Deflater}, for v1; 0 stores v1 bodies uncompressed */
  public PackedFloatEncoder(int deflateLevel) {
    this(deflateLevel, DEFAULT_SEGMENT_GROUPS);
  }

  /**
   * @param deflateLevel for v1, as above
   * @param segmentGroups groups of 32 samples per v2 segment (seeks decode at most one segment;
   *     each segment after the first costs a skip index entry of a few bytes)
   */
  public PackedFloatEncoder(int deflateLevel, int segmentGroups) {
    if (deflateLevel < 0 || deflateLevel > 9) {
      throw new IllegalArgumentException("deflate level " + deflateLevel + " outside 0..9");
    }
    if (segmentGroups < 1 || segmentGroups > Chunk.MAX_SAMPLES / RiceGroupWriter.GROUP) {
      throw new IllegalArgumentException("segment of " + segmentGroups + " groups, allowed 1.."
          + Chunk.MAX_SAMPLES / RiceGroupWriter.GROUP);
    }
    this.deflateLevel = deflateLevel;
    this.segmentGroups = segmentGroups;
  }

  /**
   * Encodes samples {@code [0, n)} as a v2 chunk; timestamps must be strictly increasing (as
   * every series' samples are), any bit pattern is a valid value.
   */
  public RiceFloatChunk encode(long[] ts, double[] vs, int n) {
    checkCount(n);
    body.reset();
    body.putBE16(n);
    body.putVarint(ts[0]);
    long interval = 0;
    if (n >= 2) {
      interval = dominantInterval(ts, n);
      body.putVarint(interval);
    }
    ValueHeader h = putValueHeader(vs, n);
    int valid = h.valid();
    boolean dod = h.deltaOfDelta();
    long divisor = 1;
    if (valid > 0) {
      divisor = residualDivisor(valid, dod);
      body.putVarint(mantissas[0]);
      body.putUvarint(divisor);
    }
    body.putUvarint(segmentGroups);
    fillSlots(ts, n, interval, dod, divisor);
    boolean tsZero = allZero(tsSlots, n);
    boolean valZero = allZero(valSlots, n);
    body.putByte((tsZero ? RiceFloatChunk.TS_ZERO : 0)
        | (valZero ? RiceFloatChunk.VALUES_ZERO : 0));
    writeStream(ts, n, interval, valid > 0 ? mantissas[0] : 0, dod, tsZero, valZero);
    body.putUvarint(skips.length());
    body.putBytes(skips.array(), 0, skips.length());
    body.putBytes(stream.buffer(), 0, stream.writtenBytes());
    return RiceFloatChunk.wrap(body.toByteArray(), RESOURCE);
  }

  /**
   * Writes the groups of both columns into {@link #stream} and a skip entry per segment after
   * the first (the decoder's state before the segment) into {@link #skips}; an all-zero column
   * has no groups and no fields in the entries.
   */
  private void writeStream(long[] ts, int n, long interval, long m0, boolean dod,
      boolean tsZero, boolean valZero) {
    int segment = segmentGroups * RiceGroupWriter.GROUP;
    stream.clear();
    skips.reset();
    long prevBit = 0;
    long prevM = m0;
    long prevPrevM = m0;
    long prevDelta = 0;
    long m = m0;
    long delta = 0;
    int j = 0; // mantissas taken so far
    for (int from = 0; from < n; from += RiceGroupWriter.GROUP) {
      if (from > 0 && from % segment == 0) {
        long bit = stream.bitLength();
        if (!tsZero || !valZero) {
          skips.putUvarint(bit - prevBit);
        }
        if (!tsZero) {
          skips.putVarint(ts[from - 1] - (ts[0] + (from - 1) * interval));
        }
        if (!valZero) {
          // Predicted by extrapolation: steady counters' entries are then a byte or two.
          skips.putVarint(m - (prevM + (dod ? prevDelta * segment : prevM - prevPrevM)));
          if (dod) {
            skips.putVarint(delta - prevDelta);
          }
        }
        prevBit = bit;
        prevPrevM = prevM;
        prevM = m;
        prevDelta = delta;
      }
      int count = Math.min(RiceGroupWriter.GROUP, n - from);
      if (!tsZero) {
        stream.writeGroup(tsSlots, from, count);
      }
      if (!valZero) {
        stream.writeGroup(valSlots, from, count);
      }
      // The mantissa state after this group, for the next skip entry.
      for (int i = from; i < from + count; i++) {
        if (scales[i] >= 0) {
          if (j > 0) {
            delta = mantissas[j] - mantissas[j - 1];
            m = mantissas[j];
          }
          j++;
        }
      }
    }
  }

  /**
   * One slot per sample in each column: the timestamp's deviation from the interval (0 for the
   * first sample) and the value's residual quotient (0 for raw values and the first mantissa,
   * which the header holds).
   */
  private void fillSlots(long[] ts, int n, long interval, boolean dod, long divisor) {
    if (tsSlots.length < n) {
      tsSlots = new long[scales.length];
      valSlots = new long[scales.length];
    }
    tsSlots[0] = 0;
    for (int i = 1; i < n; i++) {
      tsSlots[i] = ts[i] - ts[i - 1] - interval;
    }
    int j = 0;
    long prevDelta = 0;
    for (int i = 0; i < n; i++) {
      if (scales[i] < 0 || j == 0) {
        valSlots[i] = 0;
        j += scales[i] < 0 ? 0 : 1;
        continue;
      }
      long d = mantissas[j] - mantissas[j - 1];
      valSlots[i] = (dod ? d - prevDelta : d) / divisor;
      prevDelta = d;
      j++;
    }
  }

  private static boolean allZero(long[] v, int n) {
    for (int i = 0; i < n; i++) {
      if (v[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * Encodes samples {@code [0, n)} as a v1 chunk (DEFLATE-compressed when that is smaller), as
   * blocks before v2 held them; for tests and comparisons.
   */
  public PackedFloatChunk encodeV1(long[] ts, double[] vs, int n) {
    checkCount(n);
    body.reset();
    body.putVarint(ts[0]);
    if (n >= 2) {
      long interval = dominantInterval(ts, n);
      tsCol.reset();
      for (int i = 1; i < n; i++) {
        tsCol.add(ts[i] - ts[i - 1] - interval);
      }
      tsCol.finish();
      body.putVarint(interval);
      ByteSink col = tsCol.bytes();
      body.putUvarint(col.length());
      body.putBytes(col.array(), 0, col.length());
    }
    ValueHeader h = putValueHeader(vs, n);
    int valid = h.valid();
    boolean dod = h.deltaOfDelta();
    if (valid > 0) {
      body.putVarint(mantissas[0]);
      long divisor = residualDivisor(valid, dod);
      body.putUvarint(divisor);
      valCol.reset();
      long prevDelta = 0;
      for (int j = 1; j < valid; j++) {
        long d = mantissas[j] - mantissas[j - 1];
        valCol.add((dod ? d - prevDelta : d) / divisor);
        prevDelta = d;
      }
      valCol.finish();
      ByteSink col = valCol.bytes();
      body.putBytes(col.array(), 0, col.length());
    }
    return new PackedFloatChunk(pack(n), RESOURCE);
  }

  private void checkCount(int n) {
    if (n < 1 || n > Chunk.MAX_SAMPLES) {
      throw new IllegalArgumentException("packed chunk of " + n + " samples, allowed 1.."
          + Chunk.MAX_SAMPLES);
    }
    if (scales.length < n) {
      scales = new int[Math.max(n, scales.length * 2)];
      mantissas = new long[scales.length];
    }
  }

  /** What {@link #putValueHeader} chose: mantissas in {@link #mantissas}, the predictor. */
  private record ValueHeader(int valid, boolean deltaOfDelta) {}

  /**
   * Chooses the scale and predictor and writes them, then raw_count and each raw value's gap and
   * bits (the values without a mantissa); both versions share this part of the header.
   */
  private ValueHeader putValueHeader(double[] vs, int n) {
    int scale = chooseScale(vs, n);
    int valid = mantissasAt(vs, n, scale);
    boolean dod = valid > 2 && deltaOfDeltaIsSmaller(valid);
    body.putByte(scale);
    body.putByte(dod ? 1 : 0);
    body.putUvarint(n - valid);
    int last = -1;
    for (int i = 0; i < n; i++) {
      if (scales[i] < 0) {
        body.putUvarint(i - last - 1);
        body.putBE64(Double.doubleToRawLongBits(vs[i]));
        last = i;
      }
    }
    return new ValueHeader(valid, dod);
  }

  /** The body behind the 3-byte header, deflated when that is smaller. */
  private byte[] pack(int n) {
    int len = body.length();
    int deflated = deflateLevel == 0 ? Integer.MAX_VALUE : deflate(len);
    byte[] data;
    if (deflated < Integer.MAX_VALUE && varintLength(len) + deflated < len) {
      ByteSink s = new ByteSink(PackedFloatChunk.HEADER_BYTES + 5 + deflated);
      s.putBE16(n).putByte(PackedFloatChunk.CODEC_DEFLATE).putUvarint(len).putBytes(out, 0,
          deflated);
      data = s.toByteArray();
    } else {
      data = new byte[PackedFloatChunk.HEADER_BYTES + len];
      data[0] = (byte) (n >>> 8);
      data[1] = (byte) n;
      data[2] = PackedFloatChunk.CODEC_NONE;
      System.arraycopy(body.array(), 0, data, PackedFloatChunk.HEADER_BYTES, len);
    }
    return data;
  }

  private int deflate(int len) {
    if (deflater == null) {
      deflater = new Deflater(deflateLevel, true);
    }
    if (out.length < len + 64) {
      out = new byte[len + 64 + (len >> 3)];
    }
    deflater.reset();
    deflater.setInput(body.array(), 0, len);
    deflater.finish();
    int got = 0;
    while (!deflater.finished()) {
      if (got == out.length) {
        out = Arrays.copyOf(out, out.length * 2);
      }
      got += deflater.deflate(out, got, out.length - got);
    }
    return got;
  }

  private static int varintLength(long v) {
    return Math.max(1, (64 - Long.numberOfLeadingZeros(v) + 6) / 7);
  }

  /**
   * The timestamp delta the deviations are taken from: the majority delta when there is one
   * (regular scrapes, even with a few missed ones: deviations are then all zero but the gaps),
   * else the median delta (jittered scrapes: deviations small and centred on zero).
   */
  private long dominantInterval(long[] ts, int n) {
    long candidate = 0;
    int votes = 0;
    for (int i = 1; i < n; i++) {
      long d = ts[i] - ts[i - 1];
      if (votes == 0) {
        candidate = d;
        votes = 1;
      } else if (d == candidate) {
        votes++;
      } else {
        votes--;
      }
    }
    int count = 0;
    for (int i = 1; i < n; i++) {
      if (ts[i] - ts[i - 1] == candidate) {
        count++;
      }
    }
    if (count * 2 > n - 1) {
      return candidate;
    }
    for (int i = 1; i < n; i++) {
      mantissas[i - 1] = ts[i] - ts[i - 1]; // scratch: mantissas are computed later
    }
    Arrays.sort(mantissas, 0, n - 1);
    return mantissas[(n - 1) / 2];
  }

  /**
   * Records each value's smallest decimal scale in {@code scales} and returns the scale for the
   * chunk: the smallest that covers all values with a decimal form but at most n/64 of them
   * (those are then stored raw rather than inflating every mantissa).
   */
  private int chooseScale(double[] vs, int n) {
    Arrays.fill(scaleCounts, 0);
    int decimal = 0;
    for (int i = 0; i < n; i++) {
      int k = DecimalScale.of(vs[i]);
      scales[i] = k;
      if (k >= 0) {
        scaleCounts[k]++;
        decimal++;
      }
    }
    int allowedAbove = n / 64;
    int covered = 0;
    for (int k = 0; k <= DecimalScale.MAX; k++) {
      covered += scaleCounts[k];
      if (decimal - covered <= allowedAbove) {
        return k;
      }
    }
    return DecimalScale.MAX;
  }

  /**
   * Fills {@code mantissas} with the values' mantissas at {@code scale}, in order, skipping
   * values to be stored raw (marked with scale -1); returns how many mantissas there are. Each
   * is checked to decode to the value's exact bits, so the encoding is lossless by construction.
   */
  private int mantissasAt(double[] vs, int n, int scale) {
    int valid = 0;
    for (int i = 0; i < n; i++) {
      int k = scales[i];
      if (k < 0 || k > scale) {
        scales[i] = -1;
        continue;
      }
      long m = DecimalScale.rescale(DecimalScale.mantissa(vs[i], k), scale - k);
      if (m == Long.MIN_VALUE || Double.doubleToRawLongBits(DecimalScale.value(m, scale))
          != Double.doubleToRawLongBits(vs[i])) {
        scales[i] = -1;
        continue;
      }
      mantissas[valid++] = m;
    }
    return valid;
  }

  /**
   * The greatest common divisor of the residuals (1 when they are all zero): values that move
   * in steps, like page-granular memory bytes, then store small quotients.
   */
  private long residualDivisor(int valid, boolean dod) {
    long g = 0;
    long prevDelta = 0;
    for (int j = 1; j < valid && g != 1; j++) {
      long d = mantissas[j] - mantissas[j - 1];
      g = gcd(g, Math.abs(dod ? d - prevDelta : d)); // |residual| <= 2^55: no overflow
      prevDelta = d;
    }
    return g == 0 ? 1 : g;
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }

  /** Whether delta-of-delta residuals need fewer bits in total than plain deltas. */
  private boolean deltaOfDeltaIsSmaller(int valid) {
    long deltaBits = 0;
    long dodBits = 0;
    long prev = 0;
    for (int j = 1; j < valid; j++) {
      long d = mantissas[j] - mantissas[j - 1];
      deltaBits += bits(d);
      dodBits += bits(d - prev);
      prev = d;
    }
    return dodBits < deltaBits;
  }

  private static int bits(long v) {
    return 64 - Long.numberOfLeadingZeros((v << 1) ^ (v >> 63));
  }

  @Override
  public void close() {
    if (deflater != null) {
      deflater.end();
    }
  }
}
