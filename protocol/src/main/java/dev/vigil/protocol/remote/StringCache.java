package dev.vigil.protocol.remote;

import dev.vigil.model.labels.LabelStrings;
import dev.vigil.model.labels.Labels;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns UTF-8 byte ranges into Strings, handing back the same instance for bytes seen recently,
 * with the label-name checks done once per string instead of once per series.
 *
 * <p>Label names and most label values repeat across the series of a batch and across batches,
 * so this removes most string allocation from decoding. Sharing one cache between all the
 * decoders of a server matters for the store too: the head interns the first instance it sees
 * of each string, so when every decoder hands out that same instance, the series lookup of
 * later pushes compares labels by identity instead of character by character (the top of the
 * ingest profile with one cache per decoder).
 *
 * <p>Direct-mapped (a colliding entry is replaced) and bounded. Thread-safe without locks:
 * entries are immutable objects with final fields, so a racing reader sees either the old or the
 * new entry, both complete; a lost write only costs a later miss.
 */
public final class StringCache {
  private static final int MAX_CACHED_BYTES = 128;
  private static final Entry EMPTY = new Entry(0, new byte[0], "");
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** A cached string and what the decoder needs to know about it. */
  static final class Entry {
    final int hash; // compared before touching the key, which is likely a cache miss
    final byte[] key;
    final String value;
    /** Mimir's default (pre-UTF-8) label name rule. */
    final boolean legacyLabelName;
    /** Mimir's default (pre-UTF-8) metric name rule. */
    final boolean legacyMetricName;

    Entry(int hash, byte[] key, String value) {
      this.hash = hash;
      this.key = key;
      this.value = value;
      this.legacyLabelName = LabelStrings.isValidLegacyLabelName(value);
      this.legacyMetricName = LabelStrings.isValidLegacyMetricName(value);
    }
  }

  private final Entry[] entries;
  private final int mask;

  /** @param entries slots, a power of two; a full cache holds about 100 bytes per slot */
  public StringCache(int entries) {
    if (Integer.bitCount(entries) != 1) {
      throw new IllegalArgumentException("entries must be a power of two: " + entries);
    }
    this.entries = new Entry[entries];
    this.mask = entries - 1;
  }

  /** The string of {@code buf[off, off+len)}, or null when the bytes are not valid UTF-8. */
  String get(byte[] buf, int off, int len) {
    Entry e = entry(buf, off, len);
    return e == null ? null : e.value;
  }

  /** The entry of {@code buf[off, off+len)}, or null when the bytes are not valid UTF-8. */
  Entry entry(byte[] buf, int off, int len) {
    if (len == 0) {
      return EMPTY;
    }
    if (len > MAX_CACHED_BYTES) {
      return Utf8.isValid(buf, off, len)
          ? new Entry(0, null, new String(buf, off, len, StandardCharsets.UTF_8)) : null;
    }
    int h = hash(buf, off, len);
    int slot = (h ^ (h >>> 15)) & mask;
    Entry e = entries[slot];
    if (e != null && e.hash == h && Arrays.equals(e.key, 0, e.key.length, buf, off, off + len)) {
      return e;
    }
    if (!Utf8.isValid(buf, off, len)) {
      return null;
    }
    String value = new String(buf, off, len, StandardCharsets.UTF_8);
    if (value.equals(Labels.METRIC_NAME)) {
      value = Labels.METRIC_NAME; // one instance everywhere: name checks then hit identity
    }
    e = new Entry(h, Arrays.copyOfRange(buf, off, off + len), value);
    entries[slot] = e;
    return e;
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
