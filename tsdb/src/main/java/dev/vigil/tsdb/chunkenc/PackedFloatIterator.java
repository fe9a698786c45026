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

  private final PackedFields fields = new PackedFields();
  private String resource;

  private long interval;
  private int scale;
  private boolean deltaOfDelta;
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
    PackedFields f = fields;
    f.reset(data, PackedFloatChunk.HEADER_BYTES, data.length, resource);
    byte[] body = data;
    if ((data[2] & 0xFF) == PackedFloatChunk.CODEC_DEFLATE) {
      long len = f.uvarint("body length");
      long max = (long) n * MAX_BODY_BYTES_PER_SAMPLE + 64;
      if (len > max) {
        throw f.corrupt("packed chunk body of " + len + " bytes for " + n + " samples, at most "
            + max);
      }
      inflate(data, f.pos, inflater, (int) len);
      body = scratch;
      f.reset(body, 0, (int) len, resource);
    }
    t = f.varint("first timestamp");
    if (n >= 2) {
      interval = f.varint("interval");
      long tsLen = f.uvarint("timestamp column length");
      if (tsLen > f.limit() - f.pos) {
        throw f.corrupt("timestamp column of " + tsLen + " bytes, only " + (f.limit() - f.pos)
            + " left");
      }
      tsCol.reset(body, f.pos, f.pos + (int) tsLen, resource);
      f.pos += (int) tsLen;
    }
    scale = f.scale();
    deltaOfDelta = f.deltaOfDelta();
    f.rawValues(n);
    haveMantissas = f.rawTotal() < n;
    mantissaStarted = false;
    if (haveMantissas) {
      m = f.varint("first mantissa");
      divisor = f.uvarint("residual divisor");
      if (divisor == 0) {
        throw f.corrupt("residual divisor 0");
      }
      mDelta = 0;
      valCol.reset(body, f.pos, f.limit(), resource);
    } else if (f.pos != f.limit()) {
      throw f.corrupt((f.limit() - f.pos) + " bytes after the last raw value");
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
            || fields.rawLeft() != 0) {
          throw fields.corrupt("columns hold more than " + numSamples + " samples");
        }
      }
      return ValueKind.NONE;
    }
    if (read > 0) {
      t += interval + tsCol.next();
    }
    if (read == fields.nextRaw()) {
      vBits = fields.takeRaw();
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

  private CorruptDataException corrupt(String problem) {
    return fields.corrupt(problem);
  }
}
