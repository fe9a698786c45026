package dev.vigil.tsdb.record;

import dev.vigil.tsdb.encoding.ByteSource;
import dev.vigil.tsdb.encoding.CorruptDataException;

/**
 * Reads float-samples v2 records (layout in {@code FORMAT.md}) into caller-owned arrays,
 * keeping the {@link ValueChain} the values are coded against. A value coded against a previous
 * value this reader never saw (it did not start at a segment start) is a
 * {@link CorruptDataException}, never a wrong value.
 */
final class ChainedFloatsDecoder {
  static {
    // ValueCode is initialised with this class, not at the first chained value: a restart's
    // first round of values is all whole values, and the JIT, compiling the value loop then,
    // would stop it at the first call into a class not initialised yet (and compile it again).
    ValueCode.init();
  }

  private final ValueChain chain = new ValueChain();

  void restartChain() {
    chain.restart();
  }

  /** Forgets {@code ref}'s previous value: a value coded against it is an error. */
  void forget(long ref) {
    chain.forget(ref);
  }

  /** The sample count of the record at {@code in} (after the type byte). */
  static int count(ByteSource in) {
    // Each sample costs at least half a byte (its code), so corrupt counts cannot ask for much.
    int n = in.getUvarintInt(Math.max(0, in.remaining()) * 2, "sample count");
    if (n == 0) {
      throw in.corrupt("float-samples record with no samples");
    }
    return n;
  }

  /**
   * Decodes the {@code n} samples after the count into {@code refs/ts/vs[0, n)}. A record that
   * fails to decode restarts the chain: the values it would have set are unknown, so later
   * values coded against them must fail too rather than use older ones.
   */
  void decode(ByteSource in, int n, long[] refs, long[] ts, double[] vs) {
    try {
      decodeChained(in, n, refs, ts, vs);
    } catch (CorruptDataException e) {
      chain.restart();
      throw e;
    }
  }

  private void decodeChained(ByteSource in, int n, long[] refs, long[] ts, double[] vs) {
    deltaColumn(in, refs, n, "refs");
    deltaColumn(in, ts, n, "timestamps");
    valuesToEnd(in, n, refs, vs);
  }

  /**
   * As {@link #decode} into {@code c}, except that a timestamp column holding one value (the
   * samples of a scrape share its timestamp) is not written out: {@code c.tsShared} is set and
   * {@code c.sharedT} holds it. Otherwise the timestamps go to {@code c.timestampsFor(n)}.
   */
  void decodeSharingTimestamps(ByteSource in, int n, RecordDecoder.FloatColumns c) {
    try {
      deltaColumn(in, c.refs, n, "refs");
      c.tsShared = sharedValue(in, n);
      if (c.tsShared) {
        c.sharedT = shared;
      } else {
        deltaColumn(in, c.timestampsFor(n), n, "timestamps");
      }
      valuesToEnd(in, n, c.refs, c.vs);
    } catch (CorruptDataException e) {
      chain.restart();
      throw e;
    }
  }

  /** The value of the column {@link #sharedValue} read last. */
  private long shared;

  /**
   * Reads a delta column ({@link #deltaColumn}'s layout) that holds one value n times: its
   * first delta, then zero deltas, in runs or not. Returns true with the value in
   * {@link #shared}; else returns false with {@code in} where it was, for {@link #deltaColumn}
   * to decode the column (and report what is wrong with it, if anything).
   */
  private boolean sharedValue(ByteSource in, int n) {
    int start = in.position();
    long first = in.getVarint();
    long lastDelta = first;
    boolean pairable = true;
    int i = 1;
    while (i < n) {
      long d = in.getVarint();
      if (d != 0) {
        in.seek(start);
        return false;
      }
      if (pairable && d == lastDelta) {
        long more = in.getUvarint();
        if (more < 0 || more > n - i - 1) {
          in.seek(start);
          return false;
        }
        i += 1 + (int) more;
        pairable = false;
      } else {
        i++;
        lastDelta = 0;
        pairable = true;
      }
    }
    shared = first;
    return true;
  }

  private void valuesToEnd(ByteSource in, int n, long[] refs, double[] vs) {
    int codeStart = in.position();
    in.skip((n + 1) >>> 1);
    values(in, codeStart, n, refs, vs);
    if (in.hasRemaining()) {
      throw in.corrupt(in.remaining() + " bytes after the last of " + n + " samples");
    }
  }

  /** The most bytes one value takes: a 10-byte varint, or an XOR header and 8 bytes. */
  private static final int MAX_VALUE_BYTES = 10;

  /**
   * Decodes the values: those coded against a previous value of the chain (same, XOR or
   * decimal delta: nearly every value after a segment's first round) right here, with the
   * record's bytes and the chain's arrays in locals, while at least {@value #MAX_VALUE_BYTES}
   * bytes are left; every other case (whole values, unseen previous values, bad codes, the
   * record's last bytes) through {@link #value}, with every check. Replay's read-ahead thread
   * spends most of its time in this loop.
   */
  private void values(ByteSource in, int codeStart, int n, long[] refs, double[] vs) {
    byte[] a = in.array();
    int pos = in.position();
    int safeEnd = in.end() - MAX_VALUE_BYTES;
    long[] values = chain.values();
    long[] set = chain.setBits();
    for (int i = 0; i < n; i++) {
      int c = a[codeStart + (i >>> 1)];
      int code = (i & 1) == 0 ? (c >>> 4) & 0xF : c & 0xF;
      long ref = refs[i];
      int r = (int) ref;
      if (code >= ValueCode.RAW || ref <= 0 || ref >= values.length || pos > safeEnd
          || (set[r >>> 6] & (1L << r)) == 0 || !chainedFits(a, pos, code)) {
        in.seek(pos);
        value(in, code, i, refs, vs);
        pos = in.position();
        values = chain.values();
        set = chain.setBits();
        continue;
      }
      long pb = values[r];
      long b;
      if (code == ValueCode.SAME) {
        b = pb;
      } else if (code == ValueCode.XOR) {
        int h = a[pos] & 0xFF;
        int tz = h & 0xF;
        long x = 0;
        int p = pos + 1;
        for (int j = (h >>> 4) + tz; j < 8; j++) {
          x = (x << 8) | (a[p++] & 0xFF);
        }
        pos = p;
        b = pb ^ (x << (8 * tz));
      } else {
        long u = 0;
        int shift = 0;
        int x;
        do { // at most 9 bytes (chainedFits)
          x = a[pos++];
          u |= (long) (x & 0x7F) << shift;
          shift += 7;
        } while (x < 0);
        b = ValueCode.deltaValueBits(pb, code - ValueCode.DELTA, (u >>> 1) ^ -(u & 1));
      }
      values[r] = b;
      vs[i] = Double.longBitsToDouble(b);
    }
    in.seek(pos);
  }

  /**
   * Whether the chained value at {@code pos} is one {@link #values} decodes itself: an XOR
   * whose zero bytes leave at least one, a delta whose varint ends within 9 bytes (longer ones,
   * and their checks, are left to {@link #value}). Decoding in place, without a call, keeps
   * the loop free of calls that the JIT's profile may never have seen before a restart.
   */
  private static boolean chainedFits(byte[] a, int pos, int code) {
    if (code == ValueCode.XOR) {
      return ((a[pos] & 0xF0) >>> 4) + (a[pos] & 0xF) <= 7;
    }
    if (code == ValueCode.SAME || a[pos] >= 0) {
      return true;
    }
    for (int p = pos + 1; p < pos + 9; p++) {
      if (a[p] >= 0) {
        return true;
      }
    }
    return false;
  }

  /** Sample {@code i}'s value, coded {@code code}, with every check. */
  private void value(ByteSource in, int code, int i, long[] refs, double[] vs) {
    long ref = refs[i];
    boolean chained = ValueChain.chainable(ref);
    long b = switch (code) {
      case ValueCode.RAW -> in.getBE64();
      case ValueCode.INTEGER -> Double.doubleToRawLongBits((double) in.getVarint());
      default -> {
        if (!chained || !chain.has(ref)) {
          throw in.corrupt("sample " + i + " of series " + ref + " is coded against a previous"
              + " value this reader has not seen (code " + code + "): v2 records must be read"
              + " from the start of their segment");
        }
        yield chainedValue(in, code, chain.bits(ref));
      }
    };
    if (chained) {
      chain.put(ref, b);
    }
    vs[i] = Double.longBitsToDouble(b);
  }

  private static long chainedValue(ByteSource in, int code, long pb) {
    if (code == ValueCode.SAME) {
      return pb;
    }
    if (code == ValueCode.XOR) {
      int h = in.getByte();
      int lz = h >>> 4;
      int tz = h & 0xF;
      if (lz + tz > 7) {
        throw in.corrupt("XOR value with " + lz + " leading and " + tz + " trailing zero bytes");
      }
      long x = 0;
      for (int i = lz + tz; i < 8; i++) {
        x = (x << 8) | in.getByte();
      }
      return pb ^ (x << (8 * tz));
    }
    if (code >= ValueCode.DELTA && code <= ValueCode.DELTA + ValueCode.MAX_SCALE) {
      return ValueCode.deltaValueBits(pb, code - ValueCode.DELTA, in.getVarint());
    }
    throw in.corrupt("unknown value code " + code);
  }

  /** The mirror of {@link ChainedFloatsEncoder#putDeltaColumn}. */
  private static void deltaColumn(ByteSource in, long[] xs, int n, String what) {
    long prev = 0;
    long lastDelta = 0;
    boolean pairable = false;
    int i = 0;
    while (i < n) {
      long d = in.getVarint();
      if (pairable && d == lastDelta) {
        int at = in.position();
        long more = in.getUvarint();
        if (more < 0 || more > n - i - 1) {
          throw in.corrupt(what + " run of " + Long.toUnsignedString(more) + " more exceeds the "
              + (n - i - 1) + " samples left (at " + at + ")");
        }
        for (int j = 0; j < 1 + more; j++) {
          prev += d;
          xs[i++] = prev;
        }
        pairable = false;
      } else {
        prev += d;
        xs[i++] = prev;
        lastDelta = d;
        pairable = true;
      }
    }
  }
}
