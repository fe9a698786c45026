package dev.vigil.protocol.remote;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns UTF-8 byte ranges into Strings, handing back the same instance for bytes seen recently.
 * Label names and most label values repeat across the series of a batch and across batches, so
 * this removes most string allocation from decoding and gives the store identical instances to
 * intern. Direct-mapped (a colliding entry is replaced), bounded in size; not thread-safe.
 */
final class StringCache {
  private static final int MAX_CACHED_BYTES = 128;
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final int[] hashes; // checked before touching the key, which is likely a cache miss
  private final byte[][] keys;
  private final String[] strings;
  private final int mask;

  StringCache(int entriesPowerOfTwo) {
    if (Integer.bitCount(entriesPowerOfTwo) != 1) {
      throw new IllegalArgumentException("entries must be a power of two: " + entriesPowerOfTwo);
    }
    hashes = new int[entriesPowerOfTwo];
    keys = new byte[entriesPowerOfTwo][];
    strings = new String[entriesPowerOfTwo];
    mask = entriesPowerOfTwo - 1;
  }

  /** The string of {@code buf[off, off+len)}, or null when the bytes are not valid UTF-8. */
  String get(byte[] buf, int off, int len) {
    if (len == 0) {
      return "";
    }
    if (len > MAX_CACHED_BYTES) {
      return Utf8.isValid(buf, off, len) ? new String(buf, off, len, StandardCharsets.UTF_8) : null;
    }
    int h = hash(buf, off, len);
    int slot = (h ^ (h >>> 15)) & mask;
    byte[] key = keys[slot];
    if (hashes[slot] == h && key != null
        && Arrays.equals(key, 0, key.length, buf, off, off + len)) {
      return strings[slot];
    }
    if (!Utf8.isValid(buf, off, len)) {
      return null;
    }
    String s = new String(buf, off, len, StandardCharsets.UTF_8);
    hashes[slot] = h;
    keys[slot] = Arrays.copyOfRange(buf, off, off + len);
    strings[slot] = s;
    return s;
  }

  /** Eight bytes per step: a byte-at-a-time hash was the top of the decode profile. */
  private static int hash(byte[] b, int off, int len) {
    long h = 0x9E3779B97F4A7C15L ^ len;
    int i = off;
    int end = off + len;
    for (; i + 8 <= end; i += 8) {
      h = (h ^ (long) LONG_LE.get(b, i)) * 0xff51afd7ed558ccdL;
      h ^= h >>> 29;
    }
    long tail = 0;
    for (int shift = 0; i < end; i++, shift += 8) {
      tail |= (long) (b[i] & 0xff) << shift;
    }
    h = (h ^ tail) * 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 32;
    return (int) h;
  }
}
