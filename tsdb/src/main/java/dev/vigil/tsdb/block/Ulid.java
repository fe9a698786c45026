package dev.vigil.tsdb.block;

import java.util.random.RandomGenerator;

/**
 * Block ids: ULIDs (48-bit millisecond time + 80 random bits, Crockford base32, 26 chars), as
 * Prometheus names blocks, so ids sort by creation time. Time and randomness are passed in.
 */
public final class Ulid {
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

  private Ulid() {}

  public static String generate(long millis, RandomGenerator random) {
    char[] out = new char[26];
    long t = millis;
    for (int i = 9; i >= 0; i--) {
      out[i] = ALPHABET[(int) (t & 31)];
      t >>>= 5;
    }
    long hi = random.nextLong() & 0xFFFFFFFFFFL; // 40 bits
    long lo = random.nextLong() & 0xFFFFFFFFFFL;
    for (int i = 17; i >= 10; i--) {
      out[i] = ALPHABET[(int) (hi & 31)];
      hi >>>= 5;
    }
    for (int i = 25; i >= 18; i--) {
      out[i] = ALPHABET[(int) (lo & 31)];
      lo >>>= 5;
    }
    return new String(out);
  }
}
