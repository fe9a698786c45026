package dev.vigil.tsdb.snapshot;

import static dev.vigil.tsdb.snapshot.HeadSnapshotFormat.END;
import static dev.vigil.tsdb.snapshot.HeadSnapshotFormat.HEAD;
import static dev.vigil.tsdb.snapshot.HeadSnapshotFormat.OPEN_FLOATS;
import static dev.vigil.tsdb.snapshot.HeadSnapshotFormat.OPEN_HISTOGRAM;
import static dev.vigil.tsdb.snapshot.HeadSnapshotFormat.OPEN_HISTOGRAM_V1;
import static dev.vigil.tsdb.snapshot.HeadSnapshotFormat.OPEN_HISTOGRAM_V2;
import static dev.vigil.tsdb.snapshot.HeadSnapshotFormat.OPEN_NONE;
import static dev.vigil.tsdb.snapshot.HeadSnapshotFormat.SAMPLE_FLOAT;
import static dev.vigil.tsdb.snapshot.HeadSnapshotFormat.SAMPLE_HISTOGRAM;
import static dev.vigil.tsdb.snapshot.HeadSnapshotFormat.SERIES;

import dev.vigil.model.exemplar.Exemplar;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.metadata.Metadata;
import dev.vigil.model.metadata.MetricType;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.tsdb.chunkenc.Chunk;
import dev.vigil.tsdb.chunkenc.HistogramChunk;
import dev.vigil.tsdb.chunkenc.XorAppender;
import dev.vigil.tsdb.chunkenc.XorAppender.XorState;
import dev.vigil.tsdb.chunkenc.XorHistogramChunk;
import dev.vigil.tsdb.encoding.ByteSource;
import dev.vigil.tsdb.encoding.CorruptDataException;
import dev.vigil.tsdb.encoding.HistogramCodec;
import dev.vigil.tsdb.encoding.LabelsCodec;
import dev.vigil.tsdb.encoding.StringTable;
import dev.vigil.tsdb.encoding.UnsupportedFormatVersionException;
import dev.vigil.tsdb.head.Head;
import dev.vigil.tsdb.head.SeriesSnapshot;
import dev.vigil.tsdb.wal.WalFormat;
import dev.vigil.tsdb.wal.WalReader;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.zip.CRC32C;

/**
 * Reads a head snapshot ({@link HeadSnapshotFormat}): {@link #open} checks the header and reads
 * the WAL position it stands for, {@link #restoreInto} restores the series into a head. Damage
 * is a {@link CorruptDataException} naming the file and offset; the caller then replays the WAL.
 */
public final class HeadSnapshotReader implements AutoCloseable {
  /** Series per batch handed from the decoding thread to the restoring one. */
  private static final int BATCH = 256;
  /** Batches decoded ahead of the restore: about 8k series, a few MB. */
  private static final int AHEAD = 32;

  /** A batch of decoded series, or the failure that ended decoding. */
  private record Decoded(List<SeriesSnapshot> series, Exception failure, boolean last) {}

  private final Path file;
  private final DataInputStream in;
  private final CRC32C crc = new CRC32C();
  private final StringTable strings = new StringTable(12);
  private final StringSlots.Reader slots = new StringSlots.Reader(strings);
  private int version;
  private final Labels.Builder builder = Labels.builder();
  private final ByteSource src = new ByteSource("", new byte[0]);
  private byte[] payload = new byte[1 << 16];
  private final byte[] header = new byte[WalFormat.RECORD_HEADER_SIZE];
  private long offset;
  private WalPosition wal;
  private Head.HeadState state;
  private final BlockingQueue<Decoded> decoded = new ArrayBlockingQueue<>(AHEAD);
  private Thread decoder;
  /** See {@link #startDecoding}; written before the decoding thread starts. */
  private int openChunksTo;
  private long decodedSeries;

  private HeadSnapshotReader(Path file, DataInputStream in) {
    this.file = file;
    this.in = in;
  }

  /** Opens {@code file} and reads its header and first record. */
  public static HeadSnapshotReader open(Path file) throws IOException {
    DataInputStream in = new DataInputStream(new BufferedInputStream(
        Files.newInputStream(file), 1 << 16));
    HeadSnapshotReader r = new HeadSnapshotReader(file, in);
    try {
      r.readHeader();
      return r;
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  /** The WAL the snapshot stands for. */
  public WalPosition walPosition() {
    return wal;
  }

  private void readHeader() throws IOException {
    int magic;
    int version;
    try {
      magic = in.readInt();
      version = in.readUnsignedByte();
      in.skipNBytes(3);
    } catch (EOFException e) {
      throw new CorruptDataException(file.toString(), 0, "shorter than its header");
    }
    if (magic != HeadSnapshotFormat.MAGIC) {
      throw new CorruptDataException(file.toString(), 0, String.format(
          "bad magic 0x%08x, expected 0x%08x", magic, HeadSnapshotFormat.MAGIC));
    }
    if (version < HeadSnapshotFormat.VERSION_MIN_READABLE
        || version > HeadSnapshotFormat.VERSION_CURRENT) {
      throw new UnsupportedFormatVersionException(file.toString(), 4, version,
          HeadSnapshotFormat.VERSION_MIN_READABLE, HeadSnapshotFormat.VERSION_CURRENT);
    }
    this.version = version;
    offset = HeadSnapshotFormat.HEADER_SIZE;
    ByteSource r = next();
    if (r.getByte() != HEAD) {
      throw r.corrupt("first record is not the head record");
    }
    int segment = (int) r.getVarint();
    long bytes = r.getUvarint();
    wal = new WalPosition(segment, bytes);
    long nextId = r.getUvarint();
    if (nextId > Integer.MAX_VALUE) {
      throw r.corrupt("next series id " + nextId + " out of range");
    }
    state = new Head.HeadState((int) nextId, r.getVarint(), r.getVarint(), r.getVarint());
    end(r);
  }

  /**
   * Starts decoding the series on a thread of its own, ahead of {@link #restoreInto}, which then
   * only restores them: the two halves of a restore overlap, and decoding can start before the
   * head exists (while the head chunk files are scanned). At most {@link #AHEAD} batches are
   * held. {@code openChunksTo}: the samples per chunk when the WAL after the snapshot is
   * replayed next (open float chunks then get the room the replay reserves for them), 0 when
   * not.
   */
  public void startDecoding(int openChunksTo) {
    if (decoder != null) {
      throw new IllegalStateException("already decoding");
    }
    this.openChunksTo = openChunksTo;
    decoder = Thread.ofPlatform().daemon().name("head-snapshot-decode").start(() -> {
      try {
        while (true) {
          List<SeriesSnapshot> batch = new ArrayList<>(BATCH);
          boolean last = decodeBatch(batch);
          decoded.put(new Decoded(batch, null, last));
          if (last) {
            return;
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // closed: the restore is over
      } catch (IOException | RuntimeException e) {
        try {
          decoded.put(new Decoded(List.of(), e, true));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
        }
      }
    });
  }

  /** Decodes up to {@link #BATCH} series; returns true after the end record. */
  private boolean decodeBatch(List<SeriesSnapshot> out) throws IOException {
    while (out.size() < BATCH) {
      ByteSource r = next();
      int type = r.getByte();
      if (type == END) {
        long n = r.getUvarint();
        if (n != decodedSeries) {
          throw r.corrupt("end record counts " + n + " series, the file holds "
              + decodedSeries);
        }
        end(r);
        return true;
      }
      if (type != SERIES) {
        throw r.corrupt("unknown record type " + type);
      }
      out.add(series(r));
      decodedSeries++;
    }
    return false;
  }

  /**
   * Restores every series into {@code head} (between its {@code replayChunks} and
   * {@code endReplay}), then the head-wide state. Returns the number of series.
   */
  public long restoreInto(Head head) throws IOException {
    long series = 0;
    while (true) {
      Decoded d;
      if (decoder == null) {
        List<SeriesSnapshot> batch = new ArrayList<>(BATCH);
        d = new Decoded(batch, null, decodeBatch(batch));
      } else {
        try {
          d = decoded.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted restoring " + file);
        }
      }
      if (d.failure() instanceof IOException e) {
        throw e;
      } else if (d.failure() instanceof RuntimeException e) {
        throw e;
      }
      for (SeriesSnapshot snap : d.series()) {
        head.restoreSeries(snap);
        series++;
      }
      if (d.last()) {
        head.restoreState(state);
        return series;
      }
    }
  }

  private SeriesSnapshot series(ByteSource r) {
    long id = r.getUvarint();
    if (id <= 0 || id > Integer.MAX_VALUE) {
      throw r.corrupt("series id " + id + " not in [1, 2^31)");
    }
    Labels labels = labels(r);
    int[] aliases = new int[r.getUvarintInt(r.remaining(), "alias count")];
    for (int i = 0; i < aliases.length; i++) {
      aliases[i] = r.getUvarintInt(Integer.MAX_VALUE, "alias");
    }
    long minT = r.getVarint();
    long maxT = r.getVarint();
    int closed = r.getUvarintInt(Integer.MAX_VALUE, "closed chunk count");
    long closedMaxT = r.getVarint();
    XorState floats = null;
    byte[] histogram = null;
    int open = r.getByte();
    if (open == OPEN_FLOATS) {
      int samples = r.getUvarintInt(0xFFFF, "open chunk samples");
      long bits = r.getUvarint();
      if (bits < 0 || bits > (long) r.remaining() * 8) {
        throw r.corrupt("open chunk of " + bits + " bits, " + r.remaining() + " bytes left");
      }
      // With the room a head series grows its open chunk in, or reserves for the WAL replayed
      // next: it takes this array over as its buffer (MemSeries.restore), one copy fewer per
      // series at a restore.
      int n = (int) ((bits + 7) >>> 3);
      byte[] bytes = new byte[XorAppender.resumeRoom(r.array(), r.position(), n, samples,
          openChunksTo)];
      r.getBytes(bytes, 0, n);
      long t = r.getVarint();
      long tDelta = r.getVarint();
      long vBits = r.getBE64();
      int leading = r.getByte();
      int trailing = r.getByte();
      try {
        floats = new XorState(bytes, bits, samples, t, tDelta, vBits, leading, trailing);
      } catch (IllegalArgumentException e) {
        throw r.corrupt("series " + id + ": " + e.getMessage());
      }
    } else if (open == OPEN_HISTOGRAM || open == OPEN_HISTOGRAM_V2
        || open == OPEN_HISTOGRAM_V1) {
      histogram = new byte[r.getUvarintInt(r.remaining(), "open histogram chunk length")];
      r.getBytes(histogram, 0, histogram.length);
      if (open == OPEN_HISTOGRAM_V1) {
        histogram = recoded(HistogramChunk.wrap(histogram, "snapshot of series " + id));
      } else if (open == OPEN_HISTOGRAM_V2) {
        histogram = recoded(XorHistogramChunk.wrapV2(histogram, "snapshot of series " + id));
      }
    } else if (open != OPEN_NONE) {
      throw r.corrupt("series " + id + ": unknown open chunk kind " + open);
    }
    int ooo = r.getUvarintInt(r.remaining(), "out-of-order sample count");
    long[] oooT = new long[ooo];
    double[] oooV = new double[ooo];
    FloatHistogram[] oooH = null;
    for (int i = 0; i < ooo; i++) {
      oooT[i] = r.getVarint();
      int kind = r.getByte();
      if (kind == SAMPLE_FLOAT) {
        oooV[i] = Double.longBitsToDouble(r.getBE64());
      } else if (kind == SAMPLE_HISTOGRAM) {
        if (oooH == null) {
          oooH = new FloatHistogram[ooo];
        }
        oooH[i] = HistogramCodec.decode(r);
      } else {
        throw r.corrupt("series " + id + ": unknown sample kind " + kind);
      }
      if (i > 0 && oooT[i] <= oooT[i - 1]) {
        throw r.corrupt("series " + id + ": out-of-order samples not ascending at " + oooT[i]);
      }
    }
    int pairs = r.getUvarintInt(r.remaining() / 2, "tombstone count");
    long[] deleted = null;
    if (pairs > 0) {
      deleted = new long[pairs * 2];
      for (int i = 0; i < deleted.length; i++) {
        deleted[i] = r.getVarint();
      }
    }
    Metadata md = null;
    if (r.getByte() == 1) {
      MetricType type = MetricType.ofWireNumber(r.getByte());
      String unit = string(r, "metadata unit");
      String help = string(r, "metadata help");
      md = new Metadata(type, help, unit);
    }
    int exemplars = r.getUvarintInt(r.remaining(), "exemplar count");
    List<Exemplar> ex = exemplars == 0 ? List.of() : new ArrayList<>(exemplars);
    for (int i = 0; i < exemplars; i++) {
      long t = r.getVarint();
      double v = Double.longBitsToDouble(r.getBE64());
      ex.add(new Exemplar(labels(r), v, t));
    }
    end(r);
    return new SeriesSnapshot((int) id, labels, aliases, minT, maxT, closed, closedMaxT, floats,
        histogram, oooT, oooV, oooH, deleted, md, ex);
  }

  /** A string of a series record: through the string slots from version 4 on. */
  private String string(ByteSource r, String what) {
    return version >= HeadSnapshotFormat.VERSION_4 ? slots.get(r, what) : r.getUvarintString();
  }

  private Labels labels(ByteSource r) {
    if (version < HeadSnapshotFormat.VERSION_4) {
      return LabelsCodec.read(r, builder, strings, "label");
    }
    int n = r.getUvarintInt(r.remaining() / 2, "label count");
    builder.reset(Labels.EMPTY);
    String prev = null;
    for (int i = 0; i < n; i++) {
      String name = slots.get(r, "label name");
      String value = slots.get(r, "label value");
      if (prev != null && prev.compareTo(name) >= 0) {
        throw r.corrupt("label names out of order: " + prev + " then " + name);
      }
      prev = name;
      builder.append(name, value);
    }
    return builder.build();
  }

  private static void end(ByteSource r) {
    if (r.hasRemaining()) {
      throw r.corrupt(r.remaining() + " unexpected bytes at the end of the record");
    }
  }

  /** The next record's payload, its checksum verified. */
  private ByteSource next() throws IOException {
    long at = offset;
    try {
      in.readFully(header, 0, WalFormat.RECORD_HEADER_SIZE);
    } catch (EOFException e) {
      throw new CorruptDataException(file.toString(), at, "ends before its end record"
          + " (an interrupted write)");
    }
    int len = WalReader.be32(header, 0);
    if (len < 1 || len > HeadSnapshotFormat.MAX_RECORD) {
      throw new CorruptDataException(file.toString(), at, "record length " + len
          + " not in [1, " + HeadSnapshotFormat.MAX_RECORD + "]");
    }
    if (payload.length < len) {
      payload = new byte[Math.max(len, payload.length * 2)];
    }
    try {
      in.readFully(payload, 0, len);
    } catch (EOFException e) {
      throw new CorruptDataException(file.toString(), at, "record of " + len
          + " bytes cut short (an interrupted write)");
    }
    if (WalFormat.recordCrc(crc, header, 0, payload, 0, len) != WalReader.be32(header, 4)) {
      throw new CorruptDataException(file.toString(), at, "record checksum mismatch");
    }
    offset = at + WalFormat.RECORD_HEADER_SIZE + len;
    return src.reset(file.toString(), payload, 0, len, at + WalFormat.RECORD_HEADER_SIZE);
  }

  @Override
  public void close() throws IOException {
    if (decoder != null) {
      decoder.interrupt();
      decoded.clear(); // unblocks a decoder waiting to hand over a batch
      try {
        decoder.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    in.close();
  }

  /** An older snapshot's open histogram chunk (v1 or v2 encoding) as the head keeps it now. */
  static byte[] recoded(Chunk older) {
    XorHistogramChunk out = new XorHistogramChunk();
    SampleIterator it = older.iterator(null);
    for (ValueKind k = it.next(); k != ValueKind.NONE; k = it.next()) {
      out.append(it.atT(), it.atHistogram());
    }
    return out.bytes();
  }
}
