package dev.vigil.tsdb.encoding;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.UnaryOperator;

/**
 * A small direct-mapped cache from UTF-8 bytes to the {@code String} they decode to, so a
 * decoder that reads the same label names and values over and over (a WAL's series records: a
 * few hundred distinct names and values across millions of labels) returns one String each
 * instead of allocating a copy per label. A hit allocates nothing; a miss decodes the bytes and
 * replaces the entry in its slot. Bounded: {@code 2^bits} entries whatever the input. Not
 * thread-safe.
 */
public final class StringTable {
  private final String[] strings;
  private final byte[][] bytes;
  private final int mask;
  private final UnaryOperator<String> canonical;

  public StringTable(int bits) {
    this(bits, UnaryOperator.identity());
  }

  /**
   * A table that hands out {@code canonical}'s instance of each string it decodes (once per
   * miss): a head's interned strings, say, so that labels decoded for the head need no
   * interning of their own.
   */
  public StringTable(int bits, UnaryOperator<String> canonical) {
    if (bits < 1 || bits > 20) {
      throw new IllegalArgumentException("string table of 2^" + bits + " entries: bits must be 1..20");
    }
    strings = new String[1 << bits];
    bytes = new byte[1 << bits][];
    mask = (1 << bits) - 1;
    this.canonical = canonical;
  }

  /** The string of the UTF-8 bytes {@code buf[off, off + len)}. */
  public String get(byte[] buf, int off, int len) {
    int h = len;
    for (int i = off, end = off + len; i < end; i++) {
      h = 31 * h + buf[i];
    }
    h ^= h >>> 16;
    int slot = h & mask;
    byte[] b = bytes[slot];
    if (b != null && Arrays.equals(b, 0, b.length, buf, off, off + len)) {
      return strings[slot];
    }
    byte[] copy = Arrays.copyOfRange(buf, off, off + len);
    String s = canonical.apply(new String(copy, StandardCharsets.UTF_8));
    bytes[slot] = copy;
    strings[slot] = s;
    return s;
  }
}
