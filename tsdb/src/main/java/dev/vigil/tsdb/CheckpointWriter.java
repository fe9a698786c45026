package dev.vigil.tsdb;

import dev.vigil.model.exemplar.Exemplar;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.metadata.Metadata;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.tsdb.encoding.ByteSink;
import dev.vigil.tsdb.record.ExemplarRecordCodec;
import dev.vigil.tsdb.record.MetadataRecordCodec;
import dev.vigil.tsdb.record.RecordEncoder;
import dev.vigil.tsdb.wal.WalWriter;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The records of a WAL checkpoint, a batch of series at a time: one series record v2 (type 19)
 * for the batch, then the records of each series of it (samples, exemplars, metadata,
 * tombstones), the batch written in one go. One series record per series instead made replay
 * stop at every series: it applies the samples handed out before a series record before it
 * creates the record's series, which at 100k series cost a restart after a cut more than the
 * samples did.
 *
 * <p>A series' in-order samples that its closed chunks in the head chunk files hold go as a
 * float run (type 20), the rest as float samples (type 17): a restart whose head chunk files
 * are intact skips the runs without decoding them (most of the checkpoint's samples, as a
 * series keeps only its open chunk out of the files), and one whose files lost them decodes
 * the runs instead. The samples are all in the checkpoint either way.
 */
final class CheckpointWriter {
  /** Series per batch; a batch also ends once its records reach {@link #MAX_RECORD_BYTES}. */
  static final int MAX_SERIES = 1024;
  static final int MAX_RECORD_BYTES = 4 << 20;
  private static final MetadataRecordCodec METADATA_CODEC = new MetadataRecordCodec(); // stateless

  /** The kinds of sample record, one per run of samples. */
  private enum SampleRecord { NONE, FLOATS, FLOAT_RUN, HISTOGRAMS }

  private final WalWriter out;
  private final CRC32C crc = new CRC32C();
  private final RecordEncoder seriesEncoder = new RecordEncoder();
  private final RecordEncoder enc = new RecordEncoder();
  private final ByteSink batch = new ByteSink(1 << 16);
  private final ByteSink records = new ByteSink(1 << 16);
  private int series;

  CheckpointWriter(WalWriter out) {
    this.out = out;
  }

  /**
   * Adds a series and its records: in-order samples strictly before out-of-order ones (replay
   * tells them apart by their order, see {@code Head.replaySample}), of which those up to
   * {@code inChunkFiles} (the newest timestamp the series' closed chunks in the head chunk
   * files hold, {@code Long.MIN_VALUE}: none) as float runs; then exemplars, metadata and
   * tombstones. Value chains restart per series (its first value is written whole), so each
   * series' records stand alone wherever the checkpoint's segments are cut.
   */
  void series(long ref, Labels labels, SampleIterator inOrder, long inChunkFiles,
      SampleIterator outOfOrder, long[] deleted, List<Exemplar> exemplars, Metadata metadata) {
    if (series == 0) {
      seriesEncoder.seriesV2Start();
    }
    seriesEncoder.seriesV2(ref, labels);
    series++;
    long previous = writeSamples(ref, inOrder, RecordEncoder.NO_PREVIOUS, inChunkFiles);
    if (outOfOrder != null) {
      writeSamples(ref, outOfOrder, previous, Long.MIN_VALUE);
    }
    writeExemplarsAndMetadata(ref, exemplars, metadata);
    if (deleted != null) {
      // The samples above include deleted ones (so the newest in-order sample is there for
      // replay's order test), as do chunks in chunks_head: keep them hidden.
      int mark = WalWriter.beginRecord(records);
      enc.tombstonesStart(records);
      for (int i = 0; i < deleted.length; i += 2) {
        enc.tombstone(records, ref, deleted[i], deleted[i + 1]);
      }
      WalWriter.endRecord(records, mark, crc);
    }
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

  /**
   * Writes the series' samples from {@code it}, one record per run of one kind, float values
   * chained from {@code previous} (the bits of its last float value written, or
   * {@code NO_PREVIOUS}), those up to {@code runUpTo} as float runs; returns the bits of the
   * last float value written in the chain ({@code NO_PREVIOUS} after a run).
   */
  private long writeSamples(long ref, SampleIterator it, long previous, long runUpTo) {
    int mark = -1;
    SampleRecord open = SampleRecord.NONE;
    for (ValueKind k = it.next(); k != ValueKind.NONE; k = it.next()) {
      SampleRecord kind = k != ValueKind.FLOAT ? SampleRecord.HISTOGRAMS
          : it.atT() <= runUpTo ? SampleRecord.FLOAT_RUN : SampleRecord.FLOATS;
      if (kind != open) {
        if (mark >= 0) {
          endSamples(mark, open);
        }
        if (open == SampleRecord.FLOAT_RUN || kind == SampleRecord.FLOAT_RUN) {
          previous = RecordEncoder.NO_PREVIOUS; // a run's values are outside the chain
        }
        mark = WalWriter.beginRecord(records);
        if (kind == SampleRecord.HISTOGRAMS) {
          enc.histogramsStart(records, ref, it.atT());
        } else {
          enc.floatsV2StartCallerChained();
        }
        open = kind;
      }
      if (kind == SampleRecord.HISTOGRAMS) {
        enc.histogramSample(records, ref, it.atT(), it.atHistogram());
      } else {
        double v = it.atF();
        enc.floatV2(ref, it.atT(), v, previous);
        previous = Double.doubleToRawLongBits(v);
      }
    }
    if (mark >= 0) {
      endSamples(mark, open);
    }
    return open == SampleRecord.FLOAT_RUN ? RecordEncoder.NO_PREVIOUS : previous;
  }

  private void endSamples(int mark, SampleRecord kind) {
    if (kind == SampleRecord.FLOATS) {
      enc.floatsV2End(records);
    } else if (kind == SampleRecord.FLOAT_RUN) {
      enc.floatRunEnd(records);
    }
    WalWriter.endRecord(records, mark, crc);
  }

  /**
   * A checkpoint keeps, of each surviving series, its exemplars from the cut on and its
   * metadata, as Prometheus's checkpoint does.
   */
  private void writeExemplarsAndMetadata(long ref, List<Exemplar> ex, Metadata md) {
    if (!ex.isEmpty()) {
      ExemplarRecordCodec codec = new ExemplarRecordCodec(); // only for series with exemplars
      int mark = WalWriter.beginRecord(records);
      codec.start(records, ref, ex.get(0).timestamp());
      for (Exemplar e : ex) {
        codec.exemplar(records, ref, e.timestamp(), e.value(), e.labels());
      }
      WalWriter.endRecord(records, mark, crc);
    }
    if (md != null) {
      int mark = WalWriter.beginRecord(records);
      METADATA_CODEC.start(records);
      METADATA_CODEC.metadata(records, ref, md);
      WalWriter.endRecord(records, mark, crc);
    }
  }
}
