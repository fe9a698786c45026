package dev.vigil.tsdb.chunkenc;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.tsdb.encoding.CorruptDataException;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes a {@link PackedFloatChunk}. {@link #reset} inflates the body into a buffer the iterator
 * keeps (so the inflater can go back to its pool at once) and reads the section headers; samples
 * are then decoded one by one from two column cursors. Allocation-free once the buffer has grown
 * to the largest body seen. Every length and count is checked against the bytes present: damaged
 * data throws {@link CorruptDataException}, never loops or allocates by a corrupt count.
 */
public final class PackedFloatIterator extends ChunkSampleIterator {
  /** Upper bound of body bytes per sample: a timestamp and a value token, or a raw value. */
  private static final int MAX_BODY_BYTES_PER_SAMPLE = 40;

  private final ZeroRunCursor tsCol = new ZeroRunCursor();
  private final ZeroRunCursor valCol = new ZeroRunCursor();
  private byte[] scratch = new byte[0];
  private final byte[] probe = new byte[1];

  private byte[] body;
  private int pos; // header parsing position in body
  private int end;
  private String resource;

  private long interval;
  private int scale;
  private boolean deltaOfDelta;
  private int exceptionsLeft;
  private int nextException; // sample index of the next raw value, or -1
  private int exceptionPos; // body offset of that raw value's 8 bytes
  private boolean haveMantissas;
  private boolean mantissaStarted;
  private long m;
  private long mDelta;
  private long divisor;
  private long vBits;


  PackedFloatIterator() {
    super(ValueKind.FLOAT);
  }
  void reset(byte[] data, int n, Inflater inflater, String resource) {
    this.resource = resource;
    start(n);
    body = data;
    pos = PackedFloatChunk.HEADER_BYTES;
    end = data.length;
    if ((data[2] & 0xFF) == PackedFloatChunk.CODEC_DEFLATE) {
      long len = uvarint("body length");
      long max = (long) n * MAX_BODY_BYTES_PER_SAMPLE + 64;
      if (len > max) {
        throw corrupt("packed chunk body of " + len + " bytes for " + n + " samples, at most "
            + max);
      }
      inflate(data, pos, inflater, (int) len);
      body = scratch;
      pos = 0;
      end = (int) len;
    }
    t = varint("first timestamp");
    if (n >= 2) {
      interval = varint("interval");
      long tsLen = uvarint("timestamp column length");
      if (tsLen > end - pos) {
        throw corrupt("timestamp column of " + tsLen + " bytes, only " + (end - pos) + " left");
      }
      tsCol.reset(body, pos, pos + (int) tsLen, resource);
      pos += (int) tsLen;
    }
    scale = byteAt("scale");
    if (scale > DecimalScale.MAX) {
      throw corrupt("decimal scale " + scale + ", at most " + DecimalScale.MAX);
    }
    int predictor = byteAt("predictor");
    if (predictor > 1) {
      throw corrupt("value predictor " + predictor + ", known: 0 (delta), 1 (delta of delta)");
    }
    deltaOfDelta = predictor == 1;
    long exceptions = uvarint("raw value count");
    if (exceptions > n) {
      throw corrupt(exceptions + " raw values in a chunk of " + n + " samples");
    }
    exceptionsLeft = (int) exceptions;
    nextException = -1;
    if (exceptionsLeft > 0) {
      // Walk the raw values once to find the mantissa section after them.
      long idx = -1;
      int firstPos = 0;
      for (int i = 0; i < exceptionsLeft; i++) {
        idx += 1 + uvarint("raw value gap");
        if (idx >= n) {
          throw corrupt("raw value at sample " + idx + " of " + n);
        }
        if (i == 0) {
          nextException = (int) idx;
          firstPos = pos;
        }
        if (end - pos < 8) {
          throw corrupt("raw value truncated");
        }
        pos += 8;
      }
      exceptionPos = firstPos;
    }
    haveMantissas = exceptionsLeft < n;
    mantissaStarted = false;
    if (haveMantissas) {
      m = varint("first mantissa");
      divisor = uvarint("residual divisor");
      if (divisor == 0) {
        throw corrupt("residual divisor 0");
      }
      mDelta = 0;
      valCol.reset(body, pos, end, resource);
    } else if (pos != end) {
      throw corrupt((end - pos) + " bytes after the last raw value");
    }
  }

  private void inflate(byte[] data, int from, Inflater inflater, int len) {
    if (scratch.length < len) {
      scratch = new byte[Math.max(len, scratch.length + (scratch.length >> 1))];
    }
    inflater.reset();
    inflater.setInput(data, from, data.length - from);
    int got = 0;
    try {
      while (got < len) {
        int k = inflater.inflate(scratch, got, len - got);
        if (k == 0 && (inflater.finished() || inflater.needsInput()
            || inflater.needsDictionary())) {
          break;
        }
        got += k;
      }
      if (got == len && !inflater.finished() && inflater.inflate(probe, 0, 1) != 0) {
        throw corrupt("deflated body inflates to more than the announced " + len + " bytes");
      }
      if (got < len || !inflater.finished()) {
        throw corrupt("deflated body does not inflate to the announced " + len + " bytes");
      }
      if (inflater.getRemaining() != 0) {
        throw corrupt(inflater.getRemaining() + " bytes after the deflated body");
      }
    } catch (DataFormatException e) {
      throw new CorruptDataException(resource, from, "bad deflate stream: " + e.getMessage(), e);
    }
  }

  @Override
  public ValueKind next() {
    if (read >= numSamples) {
      if (!done) {
        done = true;
        if ((numSamples >= 2 && !tsCol.exhausted()) || (haveMantissas && !valCol.exhausted())
            || exceptionsLeft != 0) {
          throw corrupt("columns hold more than " + numSamples + " samples");
        }
      }
      return ValueKind.NONE;
    }
    if (read > 0) {
      t += interval + tsCol.next();
    }
    if (read == nextException) {
      vBits = be64(exceptionPos);
      if (--exceptionsLeft > 0) {
        pos = exceptionPos + 8;
        nextException += 1 + (int) uvarint("raw value gap");
        exceptionPos = pos;
      } else {
        nextException = -1;
      }
    } else {
      if (mantissaStarted) {
        long r = valCol.next() * divisor;
        if (deltaOfDelta) {
          mDelta += r;
          m += mDelta;
        } else {
          m += r;
        }
      } else {
        mantissaStarted = true; // the first mantissa was read by reset
      }
      vBits = Double.doubleToRawLongBits(DecimalScale.value(m, scale));
    }
    read++;
    return ValueKind.FLOAT;
  }

  @Override
  public double atF() {
    return Double.longBitsToDouble(vBits);
  }

  @Override
  public FloatHistogram atHistogram() {
    throw new IllegalStateException("packed float chunks hold floats only");
  }

  private int byteAt(String what) {
    if (pos >= end) {
      throw corrupt("packed chunk ends before the " + what);
    }
    return body[pos++] & 0xFF;
  }

  private long be64(int at) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (body[at + i] & 0xFF);
    }
    return v;
  }

  private long uvarint(String what) {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= end) {
        throw corrupt("packed chunk ends inside the " + what);
      }
      int b = body[pos++] & 0xFF;
      v |= (long) (b & 0x7F) << shift;
      if (b < 0x80) {
        return v;
      }
    }
    throw corrupt("packed chunk " + what + " varint longer than 10 bytes");
  }

  private long varint(String what) {
    long u = uvarint(what);
    return (u >>> 1) ^ -(u & 1);
  }

  private CorruptDataException corrupt(String problem) {
    return new CorruptDataException(resource, pos, problem);
  }
}
