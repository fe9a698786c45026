package dev.vigil.bench.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.xerial.snappy.Snappy;

/**
 * One remote write 1.0 {@code WriteRequest} of consecutive series with one sample each, as a
 * Prometheus shard sends them ({@code max_samples_per_send} 2000). The labels are encoded once;
 * each scrape only patches the samples' value and timestamp in place (their widths are fixed:
 * a double is 8 bytes, and every millisecond timestamp between 2^35 and 2^42, i.e. 1971-2109,
 * is a 6-byte varint), then the message is snappy block-compressed as senders do.
 *
 * <p>Wire format (prometheus/remote.proto, types.proto): {@code WriteRequest{1: repeated
 * TimeSeries{1: repeated Label{1: name, 2: value}, 2: repeated Sample{1: double value,
 * 2: int64 timestamp}}}}.
 */
final class WriteRequestBatch {
  private static final VarHandle DOUBLE_LE =
      MethodHandles.byteArrayViewVarHandle(double[].class, ByteOrder.LITTLE_ENDIAN);
  private static final int TIMESTAMP_BYTES = 6;
  private static final long MIN_TIMESTAMP = 1L << 35;
  private static final long MAX_TIMESTAMP = 1L << 42;

  private final int firstSeries;
  private final int[] valueOffsets;
  private final byte[] message;

  /** Series {@code [first, first + count)} of {@code set}. */
  WriteRequestBatch(KubeSeriesSet set, int first, int count) {
    this.firstSeries = first;
    this.valueOffsets = new int[count];
    Buffer out = new Buffer(count * 400);
    Buffer series = new Buffer(512);
    String[] values = new String[KubeSeriesSet.LABELS];
    for (int i = 0; i < count; i++) {
      set.values(first + i, values);
      series.length = 0;
      for (int l = 0; l < KubeSeriesSet.LABELS; l++) {
        byte[] name = KubeSeriesSet.NAMES[l].getBytes(StandardCharsets.UTF_8);
        byte[] value = values[l].getBytes(StandardCharsets.UTF_8);
        series.tag(1, 2);
        series.varint(2 + name.length + varintSize(value.length) + 1 + value.length);
        series.tag(1, 2).varint(name.length).bytes(name);
        series.tag(2, 2).varint(value.length).bytes(value);
      }
      series.tag(2, 2).varint(1 + 8 + 1 + TIMESTAMP_BYTES);
      series.tag(1, 1);
      int valueAt = series.length;
      series.bytes(new byte[8]);
      series.tag(2, 0).bytes(new byte[TIMESTAMP_BYTES]);
      out.tag(1, 2).varint(series.length);
      valueOffsets[i] = out.length + valueAt;
      out.bytes(Arrays.copyOf(series.data, series.length));
    }
    this.message = Arrays.copyOf(out.data, out.length);
  }

  int samples() {
    return valueOffsets.length;
  }

  /**
   * The snappy-compressed request for scrape {@code scrape} at {@code timestampMillis}. Not
   * thread-safe (patches the shared template).
   */
  byte[] compressed(int scrape, long timestampMillis) {
    if (timestampMillis < MIN_TIMESTAMP || timestampMillis >= MAX_TIMESTAMP) {
      throw new IllegalArgumentException("timestamp " + timestampMillis
          + " is not a 6-byte varint; use milliseconds between 2^35 and 2^42");
    }
    for (int i = 0; i < valueOffsets.length; i++) {
      int at = valueOffsets[i];
      DOUBLE_LE.set(message, at, KubeSeriesSet.value(firstSeries + i, scrape));
      long t = timestampMillis;
      int p = at + 8 + 1;
      for (int b = 0; b < TIMESTAMP_BYTES - 1; b++) {
        message[p++] = (byte) ((t & 0x7F) | 0x80);
        t >>>= 7;
      }
      message[p] = (byte) t;
    }
    try {
      return Snappy.compress(message);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The uncompressed message as it stands (tests). */
  byte[] message() {
    return message.clone();
  }

  private static int varintSize(int v) {
    int n = 1;
    while ((v & ~0x7F) != 0) {
      v >>>= 7;
      n++;
    }
    return n;
  }

  /** A growable byte buffer with the few protobuf writes the template needs. */
  private static final class Buffer {
    byte[] data;
    int length;

    Buffer(int capacity) {
      data = new byte[capacity];
    }

    Buffer tag(int field, int wireType) {
      return varint(field << 3 | wireType);
    }

    Buffer varint(int v) {
      while ((v & ~0x7F) != 0) {
        put((byte) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      return put((byte) v);
    }

    Buffer bytes(byte[] b) {
      ensure(b.length);
      System.arraycopy(b, 0, data, length, b.length);
      length += b.length;
      return this;
    }

    private Buffer put(byte b) {
      ensure(1);
      data[length++] = b;
      return this;
    }

    private void ensure(int n) {
      if (length + n > data.length) {
        data = Arrays.copyOf(data, Math.max(data.length * 2, length + n));
      }
    }
  }
}
