package dev.vigil.protocol.remote;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A cursor over protobuf wire-format bytes in a caller-owned array: varints, fixed64, length
 * prefixes and field skipping, with every length checked against the current limit. Nested
 * messages are read by narrowing {@link #limit} and restoring it. Allocates nothing; reusable via
 * {@link #reset}. Not thread-safe.
 */
final class WireReader {
  static final int VARINT = 0;
  static final int FIXED64 = 1;
  static final int LENGTH_DELIMITED = 2;
  static final int FIXED32 = 5;

  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private byte[] buf = new byte[0];
  private int base;
  int pos;
  int limit;
  private String what = "";

  /** Reads {@code buf[off, off+len)}; {@code what} names the message in error texts. */
  void reset(byte[] buf, int off, int len, String what) {
    this.buf = buf;
    this.base = off;
    this.pos = off;
    this.limit = off + len;
    this.what = what;
  }

  byte[] buf() {
    return buf;
  }

  boolean more() {
    return pos < limit;
  }

  /** Sets a new limit and returns the old one, for reading a nested message. */
  int limit(int newLimit) {
    int old = limit;
    limit = newLimit;
    return old;
  }

  int readTag() throws MalformedBodyException {
    long tag = readVarint64();
    if (tag <= 0 || tag > Integer.MAX_VALUE || (tag >>> 3) == 0) {
      throw malformed("invalid field tag " + tag);
    }
    return (int) tag;
  }

  long readVarint64() throws MalformedBodyException {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= limit) {
        throw malformed("truncated varint");
      }
      byte b = buf[pos++];
      result |= (long) (b & 0x7f) << shift;
      if (b >= 0) {
        return result;
      }
    }
    throw malformed("varint longer than 10 bytes");
  }

  /** A uint32 field; values that do not fit are malformed. */
  int readUint32() throws MalformedBodyException {
    long v = readVarint64();
    if (v < 0 || v > 0xffffffffL) {
      throw malformed("value " + Long.toUnsignedString(v) + " does not fit in uint32");
    }
    return (int) v;
  }

  long readSint64() throws MalformedBodyException {
    long v = readVarint64();
    return (v >>> 1) ^ -(v & 1);
  }

  int readSint32() throws MalformedBodyException {
    long v = readVarint64();
    return (int) ((v >>> 1) ^ -(v & 1));
  }

  double readDouble() throws MalformedBodyException {
    if (limit - pos < 8) {
      throw malformed("truncated 64-bit value");
    }
    long bits = (long) LONG_LE.get(buf, pos);
    pos += 8;
    return Double.longBitsToDouble(bits);
  }

  /** Reads a length prefix and checks that many bytes remain; the payload starts at {@link #pos}. */
  int readLength() throws MalformedBodyException {
    long len = readVarint64();
    if (len < 0 || len > limit - pos) {
      throw malformed("length " + len + " runs past the end (" + (limit - pos) + " bytes left)");
    }
    return (int) len;
  }

  void skipField(int tag) throws MalformedBodyException {
    switch (tag & 7) {
      case VARINT -> readVarint64();
      case FIXED64 -> skip(8);
      case LENGTH_DELIMITED -> {
        int n = readLength(); // not "pos += readLength()": Java would read pos first
        pos += n;
      }
      case FIXED32 -> skip(4);
      default -> throw malformed("unsupported wire type " + (tag & 7) + " of field " + (tag >>> 3));
    }
  }

  private void skip(int n) throws MalformedBodyException {
    if (limit - pos < n) {
      throw malformed("truncated field");
    }
    pos += n;
  }

  /** Checks the wire type of a known field, so a body of the other version fails loudly. */
  void expect(int tag, int wireType) throws MalformedBodyException {
    if ((tag & 7) != wireType) {
      throw malformed("field " + (tag >>> 3) + " has wire type " + (tag & 7) + ", expected "
          + wireType);
    }
  }

  MalformedBodyException malformed(String problem) {
    return new MalformedBodyException(
        "malformed " + what + ": " + problem + " at byte " + (pos - base));
  }
}
