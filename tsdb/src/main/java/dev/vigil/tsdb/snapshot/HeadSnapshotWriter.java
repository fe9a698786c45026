package dev.vigil.tsdb.snapshot;

import static dev.vigil.tsdb.snapshot.HeadSnapshotFormat.END;
import static dev.vigil.tsdb.snapshot.HeadSnapshotFormat.HEAD;
import static dev.vigil.tsdb.snapshot.HeadSnapshotFormat.OPEN_FLOATS;
import static dev.vigil.tsdb.snapshot.HeadSnapshotFormat.OPEN_HISTOGRAM;
import static dev.vigil.tsdb.snapshot.HeadSnapshotFormat.OPEN_NONE;
import static dev.vigil.tsdb.snapshot.HeadSnapshotFormat.SAMPLE_FLOAT;
import static dev.vigil.tsdb.snapshot.HeadSnapshotFormat.SAMPLE_HISTOGRAM;
import static dev.vigil.tsdb.snapshot.HeadSnapshotFormat.SERIES;

import dev.vigil.model.exemplar.Exemplar;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.metadata.Metadata;
import dev.vigil.tsdb.chunkenc.XorAppender.XorState;
import dev.vigil.tsdb.encoding.ByteSink;
import dev.vigil.tsdb.encoding.HistogramCodec;
import dev.vigil.tsdb.fs.FileTrees;
import dev.vigil.tsdb.head.Head;
import dev.vigil.tsdb.head.SeriesSnapshot;
import dev.vigil.tsdb.wal.WalWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Writes a head snapshot ({@link HeadSnapshotFormat}) into a database directory: to a temporary
 * file, fsynced, then renamed over {@link HeadSnapshotFormat#FILE_NAME}, so a crash while writing
 * leaves no snapshot rather than a partial one.
 */
public final class HeadSnapshotWriter {
  private static final int FLUSH_AT = 1 << 20;

  private final ByteSink buf = new ByteSink(FLUSH_AT + (64 << 10));
  private final CRC32C crc = new CRC32C();
  private final StringSlots.Writer strings = new StringSlots.Writer();
  private FileChannel out;
  private long series;
  private long bytes;

  private HeadSnapshotWriter() {}

  /**
   * Writes the snapshot of {@code head}, which must not change meanwhile (inside
   * {@code Head.exclusive}, the WAL closed at {@code wal}), into {@code dbDir}. Returns the number
   * of series written.
   */
  public static long write(Path dbDir, Head head, WalPosition wal) {
    try (Head.SnapshotCapture capture = head.beginSnapshotCapture()) {
      return capture(dbDir, capture, wal).commit();
    }
  }

  /**
   * A snapshot in its temporary file, not yet synced: {@link #commit} makes it the database's.
   * Splitting the two lets the head be captured and written while commits go on, and the head
   * chunk files it counts be synced before the commit.
   */
  public static final class Captured {
    private final Path dir;
    private final long series;
    private final long bytes;

    private Captured(Path dir, long series, long bytes) {
      this.dir = dir;
      this.series = series;
      this.bytes = bytes;
    }

    /** The size of the snapshot file. */
    public long bytes() {
      return bytes;
    }

    /** Syncs the temporary file and renames it over the snapshot; returns the series in it. */
    public long commit() {
      Path tmp = dir.resolve(HeadSnapshotFormat.TMP_NAME);
      try {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
          ch.force(true);
        }
        Files.move(tmp, dir.resolve(HeadSnapshotFormat.FILE_NAME),
            StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        FileTrees.syncDirectory(dir);
        return series;
      } catch (IOException e) {
        abandon();
        throw failed(dir, e);
      }
    }

    /** Drops the temporary file (when what it counts could not be synced). */
    public void abandon() {
      try {
        Files.deleteIfExists(dir.resolve(HeadSnapshotFormat.TMP_NAME));
      } catch (IOException ignored) {
        // The next open removes a leftover temporary file.
      }
    }
  }

  /**
   * Writes the series of {@code capture} (the head at the point the WAL ended at {@code wal};
   * commits may go on meanwhile) in id order to the temporary file, without syncing it.
   */
  public static Captured capture(Path dbDir, Head.SnapshotCapture capture, WalPosition wal) {
    Path tmp = dbDir.resolve(HeadSnapshotFormat.TMP_NAME);
    HeadSnapshotWriter w = new HeadSnapshotWriter();
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
        w.out = ch;
        w.buf.putBE32(HeadSnapshotFormat.MAGIC);
        w.buf.putByte(HeadSnapshotFormat.VERSION_CURRENT);
        w.buf.putByte(0).putByte(0).putByte(0);
        w.head(capture.state(), wal);
        capture.takeAll(w::series);
        int mark = WalWriter.beginRecord(w.buf);
        w.buf.putByte(END);
        w.buf.putUvarint(w.series);
        WalWriter.endRecord(w.buf, mark, w.crc);
        w.flush();
      }
      return new Captured(dbDir, w.series, w.bytes);
    } catch (IOException | UncheckedIOException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // The write already failed; the next open removes a leftover temporary file.
      }
      throw failed(dbDir, e instanceof UncheckedIOException u ? u.getCause() : (IOException) e);
    }
  }

  private static UncheckedIOException failed(Path dir, IOException cause) {
    return new UncheckedIOException("cannot write head snapshot in " + dir, cause);
  }

  private void head(Head.HeadState s, WalPosition wal) {
    int mark = WalWriter.beginRecord(buf);
    buf.putByte(HEAD);
    buf.putVarint(wal.lastSegment());
    buf.putUvarint(wal.lastSegmentBytes());
    buf.putUvarint(s.nextId());
    buf.putVarint(s.minValidTime());
    buf.putVarint(s.minTime());
    buf.putVarint(s.maxTime());
    WalWriter.endRecord(buf, mark, crc);
  }

  private void series(SeriesSnapshot s) {
    int mark = WalWriter.beginRecord(buf);
    buf.putByte(SERIES);
    buf.putUvarint(s.id());
    putLabels(s.labels());
    buf.putUvarint(s.aliases().length);
    for (int a : s.aliases()) {
      buf.putUvarint(a);
    }
    buf.putVarint(s.minT());
    buf.putVarint(s.maxT());
    buf.putUvarint(s.closedChunks());
    buf.putVarint(s.closedMaxT());
    if (s.openFloats() != null) {
      XorState x = s.openFloats();
      buf.putByte(OPEN_FLOATS);
      buf.putUvarint(x.samples());
      buf.putUvarint(x.bitLength());
      x.writeChunkBytes(buf);
      buf.putVarint(x.t());
      buf.putVarint(x.tDelta());
      buf.putBE64(x.vBits());
      buf.putByte(x.leading());
      buf.putByte(x.trailing());
    } else if (s.openHistogram() != null) {
      buf.putByte(OPEN_HISTOGRAM);
      buf.putUvarint(s.openHistogram().length);
      buf.putBytes(s.openHistogram(), 0, s.openHistogram().length);
    } else {
      buf.putByte(OPEN_NONE);
    }
    buf.putUvarint(s.oooT().length);
    for (int i = 0; i < s.oooT().length; i++) {
      buf.putVarint(s.oooT()[i]);
      if (s.oooH() != null && s.oooH()[i] != null) {
        buf.putByte(SAMPLE_HISTOGRAM);
        HistogramCodec.encode(buf, s.oooH()[i]);
      } else {
        buf.putByte(SAMPLE_FLOAT);
        buf.putBE64(Double.doubleToRawLongBits(s.oooV()[i]));
      }
    }
    long[] deleted = s.deleted() == null ? new long[0] : s.deleted();
    buf.putUvarint(deleted.length / 2);
    for (long d : deleted) {
      buf.putVarint(d);
    }
    Metadata md = s.metadata();
    buf.putByte(md == null ? 0 : 1);
    if (md != null) {
      buf.putByte(md.type().wireNumber());
      strings.put(buf, md.unit());
      strings.put(buf, md.help());
    }
    buf.putUvarint(s.exemplars().size());
    for (Exemplar e : s.exemplars()) {
      buf.putVarint(e.timestamp());
      buf.putBE64(Double.doubleToRawLongBits(e.value()));
      putLabels(e.labels());
    }
    WalWriter.endRecord(buf, mark, crc);
    series++;
    if (buf.length() >= FLUSH_AT) {
      try {
        flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private void putLabels(Labels labels) {
    buf.putUvarint(labels.size());
    for (int i = 0; i < labels.size(); i++) {
      strings.put(buf, labels.name(i));
      strings.put(buf, labels.value(i));
    }
  }

  private void flush() throws IOException {
    ByteBuffer bb = ByteBuffer.wrap(buf.array(), 0, buf.length());
    while (bb.hasRemaining()) {
      out.write(bb);
    }
    bytes += buf.length();
    buf.reset();
  }
}
