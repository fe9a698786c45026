package dev.vigil.tsdb.chunkenc;

import dev.vigil.tsdb.encoding.ByteSink;
import java.util.Arrays;
import java.util.zip.Deflater;

/**
 * Builds {@link PackedFloatChunk}s from sample arrays, for block writers (compaction time, not
 * the head's append path). Reusable and allocation-light: scratch arrays grow to the largest
 * chunk. Holds a native {@link Deflater}: {@link #close()} it. Not thread-safe.
 *
 * <p>Choices made per chunk: the timestamp interval (majority, else median delta), the decimal
 * scale (the smallest one that fits all but 1/64 of the values; the rest are stored raw), the value
 * predictor (delta for gauges and bumpy counters, delta of delta for steady counters; whichever
 * makes the smaller residuals), the residuals' common divisor, and whether DEFLATE pays (else
 * the body is stored as is).
 */
public final class PackedFloatEncoder implements AutoCloseable {
  private static final String RESOURCE = "packed float chunk";

  private final Deflater deflater;
  private final ByteSink body = new ByteSink(4096);
  private final ZeroRunColumn tsCol = new ZeroRunColumn(new ByteSink(256));
  private final ZeroRunColumn valCol = new ZeroRunColumn(new ByteSink(4096));
  private final ByteSink raw = new ByteSink(64);
  private final int[] scaleCounts = new int[DecimalScale.MAX + 1];
  private int[] scales = new int[0];
  private long[] mantissas = new long[0];
  private byte[] out = new byte[0];

  /** With DEFLATE at its best compression: blocks are written once and read many times. */
  public PackedFloatEncoder() {
    this(Deflater.BEST_COMPRESSION);
  }

  /** @param deflateLevel 0-9, as {@link Deflater}; 0 stores bodies uncompressed */
  public PackedFloatEncoder(int deflateLevel) {
    deflater = deflateLevel == 0 ? null : new Deflater(deflateLevel, true);
  }

  /**
   * Encodes samples {@code [0, n)}; timestamps must be strictly increasing (as every series'
   * samples are), any bit pattern is a valid value.
   */
  public PackedFloatChunk encode(long[] ts, double[] vs, int n) {
    if (n < 1 || n > Chunk.MAX_SAMPLES) {
      throw new IllegalArgumentException("packed chunk of " + n + " samples, allowed 1.."
          + Chunk.MAX_SAMPLES);
    }
    if (scales.length < n) {
      scales = new int[Math.max(n, scales.length * 2)];
      mantissas = new long[scales.length];
    }
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
    int scale = chooseScale(vs, n);
    int valid = mantissasAt(vs, n, scale);
    boolean dod = valid > 2 && deltaOfDeltaIsSmaller(valid);
    body.putByte(scale);
    body.putByte(dod ? 1 : 0);
    body.putUvarint(n - valid);
    raw.reset();
    int last = -1;
    for (int i = 0; i < n; i++) {
      if (scales[i] < 0) {
        body.putUvarint(i - last - 1);
        body.putBE64(Double.doubleToRawLongBits(vs[i]));
        last = i;
      }
    }
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

  /** The body behind the 3-byte header, deflated when that is smaller. */
  private byte[] pack(int n) {
    int len = body.length();
    int deflated = deflater == null ? Integer.MAX_VALUE : deflate(len);
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
