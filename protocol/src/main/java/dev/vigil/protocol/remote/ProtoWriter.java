package dev.vigil.protocol.remote;

import java.util.Arrays;

/**
 * Writes protobuf wire format into one growable array, the mirror of {@link WireReader}.
 * Length-delimited fields are written in place: {@link #begin} reserves one length byte,
 * {@link #end} fills it in and, for a body of 128 bytes or more, shifts the body right by the
 * extra length bytes (cheaper than sizing every nested message twice). Proto3 defaults (0, empty)
 * of scalar fields are omitted, as protobuf's own serializer does. Reusable; not thread-safe.
 */
final class ProtoWriter {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH_DELIMITED = 2;

  private byte[] buf;
  private int len;

  ProtoWriter(int initialCapacity) {
    buf = new byte[Math.max(16, initialCapacity)];
  }

  void reset() {
    len = 0;
  }

  int length() {
    return len;
  }

  byte[] array() {
    return buf;
  }

  private void ensure(int more) {
    if (len + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(len + more, buf.length * 2));
    }
  }

  void tag(int field, int wireType) {
    varint(((long) field << 3) | wireType);
  }

  void varint(long v) {
    ensure(10);
    while ((v & ~0x7FL) != 0) {
      buf[len++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[len++] = (byte) v;
  }

  void fixed64(long v) {
    ensure(8);
    for (int i = 0; i < 8; i++) {
      buf[len++] = (byte) (v >>> (8 * i));
    }
  }

  /** A double field; omitted only for +0.0 (so -0.0 and NaN payloads survive). */
  void doubleField(int field, double v) {
    long bits = Double.doubleToRawLongBits(v);
    if (bits != 0) {
      tag(field, FIXED64);
      fixed64(bits);
    }
  }

  void int64Field(int field, long v) {
    if (v != 0) {
      tag(field, VARINT);
      varint(v);
    }
  }

  void uint32Field(int field, int v) {
    if (v != 0) {
      tag(field, VARINT);
      varint(v & 0xFFFFFFFFL);
    }
  }

  void sint32Field(int field, int v) {
    if (v != 0) {
      tag(field, VARINT);
      varint(((long) v << 1) ^ ((long) v >> 63));
    }
  }

  void enumField(int field, int v) {
    if (v != 0) {
      tag(field, VARINT);
      varint(v);
    }
  }

  /** A string field, always written (repeated fields need their empty elements). */
  void stringField(int field, String s) {
    tag(field, LENGTH_DELIMITED);
    int n = s.length();
    int ascii = 0;
    while (ascii < n && s.charAt(ascii) < 0x80) {
      ascii++;
    }
    if (ascii == n) {
      varint(n);
      ensure(n);
      for (int i = 0; i < n; i++) {
        buf[len++] = (byte) s.charAt(i);
      }
      return;
    }
    int body = begin();
    ensure(n * 3);
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        buf[len++] = (byte) c;
      } else if (c < 0x800) {
        buf[len++] = (byte) (0xC0 | (c >> 6));
        buf[len++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        buf[len++] = (byte) (0xF0 | (cp >> 18));
        buf[len++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        buf[len++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        buf[len++] = (byte) (0x80 | (cp & 0x3F));
      } else if (Character.isSurrogate(c)) {
        buf[len++] = (byte) '?'; // a lone surrogate has no UTF-8 form; Java's encoder does the same
      } else {
        buf[len++] = (byte) (0xE0 | (c >> 12));
        buf[len++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        buf[len++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    end(body);
  }

  /** Starts a length-delimited field (tag written by the caller or by {@link #begin(int)}). */
  int begin() {
    ensure(1);
    len++;
    return len;
  }

  /** Writes the tag of {@code field} and starts its body; returns the mark for {@link #end}. */
  int begin(int field) {
    tag(field, LENGTH_DELIMITED);
    return begin();
  }

  /** Ends the body started at {@code mark}, writing its length in front of it. */
  void end(int mark) {
    int n = len - mark;
    int size = varintSize(n);
    if (size > 1) {
      ensure(size - 1);
      System.arraycopy(buf, mark, buf, mark + size - 1, n);
      len += size - 1;
    }
    int at = mark - 1;
    long v = n;
    while ((v & ~0x7FL) != 0) {
      buf[at++] = (byte) ((v & 0x7F) | 0x80);
      v >>>= 7;
    }
    buf[at] = (byte) v;
  }

  void bytes(byte[] b, int off, int n) {
    ensure(n);
    System.arraycopy(b, off, buf, len, n);
    len += n;
  }

  static int varintSize(long v) {
    int n = 1;
    while ((v & ~0x7FL) != 0) {
      v >>>= 7;
      n++;
    }
    return n;
  }
}
