package dev.vigil.tsdb;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.tsdb.encoding.ByteSink;
import dev.vigil.tsdb.head.CommitBatch;
import dev.vigil.tsdb.head.CommitLog;
import dev.vigil.tsdb.record.ExemplarRecordCodec;
import dev.vigil.tsdb.record.MetadataRecordCodec;
import dev.vigil.tsdb.record.RecordEncoder;
import dev.vigil.tsdb.wal.WalWriter;
import java.util.zip.CRC32C;

/**
 * Turns a head commit into WAL records (series, float samples, histogram samples; see
 * {@code record/FORMAT.md}) written with one write. Called under the head's commit lock, so the
 * scratch buffer and encoder are used by one thread at a time.
 */
final class WalCommitLog implements CommitLog {
  private final WalWriter wal;
  private final RecordEncoder enc = new RecordEncoder();
  private final ExemplarRecordCodec exemplarEnc = new ExemplarRecordCodec();
  private final MetadataRecordCodec metadataEnc = new MetadataRecordCodec();
  private final ByteSink buf = new ByteSink(1 << 16);
  private final CRC32C crc = new CRC32C();

  WalCommitLog(WalWriter wal) {
    this.wal = wal;
  }

  // Float-samples v2 values are coded against earlier records of the same segment: the chain
  // restarts whenever the segment changes (WalWriter re-encodes a batch that lands in a new one)
  // and after a failed write, whose values never reached the log. The chain lives in the
  // series (CommitBatch.logState: the generation of the chain and the value last logged in it),
  // so restarting it is a new generation.
  private int chainSegment = -1;
  private long chainGeneration = 1;
  private CommitBatch writing;
  private final WalWriter.SegmentEncoder reencode = (out, segment) -> {
    chainGeneration++;
    chainSegment = segment;
    encode(writing);
  };

  @Override
  public long write(CommitBatch b) {
    int segment = wal.currentSegment();
    if (segment != chainSegment) {
      chainGeneration++;
      chainSegment = segment;
    }
    encode(b);
    if (buf.length() == 0) {
      return 0;
    }
    writing = b;
    try {
      return wal.write(buf, chainSegment, reencode);
    } catch (RuntimeException | Error e) {
      chainGeneration++;
      throw e;
    } finally {
      writing = null;
    }
  }

  private void encode(CommitBatch b) {
    buf.reset();
    if (b.seriesCount() > 0) {
      int mark = WalWriter.beginRecord(buf);
      enc.seriesV2Start();
      for (int i = 0; i < b.seriesCount(); i++) {
        enc.seriesV2(b.seriesRef(i), b.seriesLabels(i));
      }
      enc.seriesV2End(buf);
      WalWriter.endRecord(buf, mark, crc);
    }
    int n = b.sampleCount();
    int mark = -1;
    boolean anyHistogram = false;
    for (int i = 0; i < n; i++) {
      if (!b.accepted(i)) {
        continue;
      }
      if (b.histogram(i) != null) {
        anyHistogram = true;
        continue;
      }
      if (mark < 0) {
        mark = WalWriter.beginRecord(buf);
        enc.floatsV2StartCallerChained();
      }
      double v = b.v(i);
      long previous = b.logStateGeneration(i) == chainGeneration ? b.logStateBits(i)
          : RecordEncoder.NO_PREVIOUS;
      enc.floatV2(b.ref(i), b.t(i), v, previous);
      b.setLogState(i, chainGeneration, Double.doubleToRawLongBits(v));
    }
    if (mark >= 0) {
      enc.floatsV2End(buf);
      WalWriter.endRecord(buf, mark, crc);
    }
    if (anyHistogram) {
      mark = -1;
      for (int i = 0; i < n; i++) {
        FloatHistogram h = b.histogram(i);
        if (h == null || !b.accepted(i)) {
          continue;
        }
        if (mark < 0) {
          mark = WalWriter.beginRecord(buf);
          enc.histogramsStart(buf, b.ref(i), b.t(i));
        }
        enc.histogramSample(buf, b.ref(i), b.t(i), h);
      }
      WalWriter.endRecord(buf, mark, crc);
    }
    if (b.exemplarCount() > 0 || b.metadataCount() > 0) {
      encodeExemplarsAndMetadata(b);
    }
  }

  /** After the samples, as Prometheus's head appender logs them (record/FORMAT.md). */
  private void encodeExemplarsAndMetadata(CommitBatch b) {
    int n = b.exemplarCount();
    if (n > 0) {
      int mark = WalWriter.beginRecord(buf);
      exemplarEnc.start(buf, b.exemplarRef(0), b.exemplarT(0));
      for (int i = 0; i < n; i++) {
        exemplarEnc.exemplar(buf, b.exemplarRef(i), b.exemplarT(i), b.exemplarV(i),
            b.exemplarLabels(i));
      }
      WalWriter.endRecord(buf, mark, crc);
    }
    int mark = -1;
    for (int i = 0, m = b.metadataCount(); i < m; i++) {
      dev.vigil.model.metadata.Metadata md = b.metadata(i);
      if (md == null) {
        continue; // unchanged since it was last logged
      }
      if (mark < 0) {
        mark = WalWriter.beginRecord(buf);
        metadataEnc.start(buf);
      }
      metadataEnc.metadata(buf, b.metadataRef(i), md);
    }
    if (mark >= 0) {
      WalWriter.endRecord(buf, mark, crc);
    }
  }

  @Override
  public long writeTombstones(long[] refs, int n, long minT, long maxT) {
    buf.reset();
    int mark = WalWriter.beginRecord(buf);
    enc.tombstonesStart(buf);
    for (int i = 0; i < n; i++) {
      enc.tombstone(buf, refs[i], minT, maxT);
    }
    WalWriter.endRecord(buf, mark, crc);
    return wal.write(buf);
  }

  @Override
  public void awaitDurable(long token) {
    if (token > 0) {
      wal.sync(token);
    }
  }
}
