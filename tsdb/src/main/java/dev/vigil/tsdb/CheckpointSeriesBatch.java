package dev.vigil.tsdb;

import dev.vigil.model.labels.Labels;
import dev.vigil.tsdb.encoding.ByteSink;
import dev.vigil.tsdb.record.RecordEncoder;
import dev.vigil.tsdb.wal.WalWriter;
import java.util.zip.CRC32C;

/**
 * The records of a WAL checkpoint, a batch of series at a time: one series record v2 (type 19)
 * for the batch, then the records each series of it brings (samples, exemplars, metadata,
 * tombstones), written by the caller into {@link #records()} in series order. One series
 * record per series instead made replay stop at every series: it applies the samples handed
 * out before a series record before it creates the record's series, which at 100k series cost a
 * restart after a cut more than the samples did.
 */
final class CheckpointSeriesBatch {
  /** Series per batch; a batch also ends once its records reach {@link #MAX_RECORD_BYTES}. */
  static final int MAX_SERIES = 1024;
  static final int MAX_RECORD_BYTES = 4 << 20;

  private final WalWriter out;
  private final CRC32C crc;
  private final RecordEncoder seriesEncoder = new RecordEncoder();
  private final ByteSink batch = new ByteSink(1 << 16);
  private final ByteSink records = new ByteSink(1 << 16);
  private int series;

  CheckpointSeriesBatch(WalWriter out, CRC32C crc) {
    this.out = out;
    this.crc = crc;
  }

  /** Adds a series to the batch's series record; its records go to {@link #records()} next. */
  void series(long ref, Labels labels) {
    if (series == 0) {
      seriesEncoder.seriesV2Start();
    }
    seriesEncoder.seriesV2(ref, labels);
    series++;
  }

  /** Where the records of the series added last go, whole records (framed and checksummed). */
  ByteSink records() {
    return records;
  }

  /** Writes the batch out once it is full; call after each series' records. */
  void endSeries() {
    if (series >= MAX_SERIES || records.length() >= MAX_RECORD_BYTES) {
      flush();
    }
  }

  /** Writes what the batch holds: its series record, then the records of its series. */
  void flush() {
    if (series == 0) {
      return;
    }
    batch.reset();
    int mark = WalWriter.beginRecord(batch);
    seriesEncoder.seriesV2End(batch);
    WalWriter.endRecord(batch, mark, crc);
    batch.putBytes(records.array(), 0, records.length());
    out.write(batch);
    records.reset();
    series = 0;
  }
}
