package dev.vigil.tsdb.chunkenc;

import dev.vigil.tsdb.encoding.CorruptDataException;

/**
 * Reads the byte-aligned fields both packed float encodings share ({@code FORMAT.md}): varints
 * and bytes named in their errors, the scale and predictor, and the list of raw values, which
 * the decoders walk as their samples go by. Every read is checked against the limit.
 */
final class PackedFields {
  private byte[] buf;
  /** Next byte to read. */
  int pos;
  private int limit;
  private String resource;

  /** The list of raw values: how many are left, the next one's sample index and offset. */
  private int rawTotal;
  private int rawLeft;
  private int nextRaw; // sample index of the next raw value, or -1
  private int rawAt; // offset of that raw value's 8 bytes

  void reset(byte[] buf, int pos, int limit, String resource) {
    this.buf = buf;
    this.pos = pos;
    this.limit = limit;
    this.resource = resource;
  }

  /** Reads on from {@code pos} up to {@code limit} (of the same bytes). */
  void window(int pos, int limit) {
    this.pos = pos;
    this.limit = limit;
  }

  int limit() {
    return limit;
  }

  int byteAt(String what) {
    if (pos >= limit) {
      throw corrupt("packed chunk ends before the " + what);
    }
    return buf[pos++] & 0xFF;
  }

  long uvarint(String what) {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= limit) {
        throw corrupt("packed chunk ends inside the " + what);
      }
      int b = buf[pos++] & 0xFF;
      v |= (long) (b & 0x7F) << shift;
      if (b < 0x80) {
        return v;
      }
    }
    throw corrupt("packed chunk " + what + " varint longer than 10 bytes");
  }

  long varint(String what) {
    long u = uvarint(what);
    return (u >>> 1) ^ -(u & 1);
  }

  /** The decimal scale byte, 0..{@link DecimalScale#MAX}. */
  int scale() {
    int scale = byteAt("scale");
    if (scale > DecimalScale.MAX) {
      throw corrupt("decimal scale " + scale + ", at most " + DecimalScale.MAX);
    }
    return scale;
  }

  /** The predictor byte: whether values are delta-of-delta coded (else delta). */
  boolean deltaOfDelta() {
    int predictor = byteAt("predictor");
    if (predictor > 1) {
      throw corrupt("value predictor " + predictor + ", known: 0 (delta), 1 (delta of delta)");
    }
    return predictor == 1;
  }

  /**
   * Reads the raw value count and walks the list once (checking every index and the bytes
   * present), leaving {@code pos} after it and the first raw value as the next one.
   */
  void rawValues(int numSamples) {
    long count = uvarint("raw value count");
    if (count > numSamples) {
      throw corrupt(count + " raw values in a chunk of " + numSamples + " samples");
    }
    rawTotal = (int) count;
    rawLeft = rawTotal;
    nextRaw = -1;
    long idx = -1;
    for (int i = 0; i < rawTotal; i++) {
      idx += 1 + uvarint("raw value gap");
      if (idx >= numSamples) {
        throw corrupt("raw value at sample " + idx + " of " + numSamples);
      }
      if (i == 0) {
        nextRaw = (int) idx;
        rawAt = pos;
      }
      if (limit - pos < 8) {
        throw corrupt("raw value truncated");
      }
      pos += 8;
    }
  }

  int rawTotal() {
    return rawTotal;
  }

  /** Raw values not passed yet. */
  int rawLeft() {
    return rawLeft;
  }

  /** Sample index of the next raw value, or -1 when none is left. */
  int nextRaw() {
    return nextRaw;
  }

  /** The next raw value's bits; moves on to the one after it. */
  long takeRaw() {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (buf[rawAt + i] & 0xFF);
    }
    if (--rawLeft > 0) {
      pos = rawAt + 8;
      nextRaw += 1 + (int) uvarint("raw value gap");
      rawAt = pos;
    } else {
      nextRaw = -1;
    }
    return v;
  }

  CorruptDataException corrupt(String problem) {
    return corruptAt(pos, problem);
  }

  CorruptDataException corruptAt(int offset, String problem) {
    return new CorruptDataException(resource, offset, problem);
  }
}
