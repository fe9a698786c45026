package dev.vigil.tsdb;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.metadata.Metadata;
import dev.vigil.model.storage.StorageException;
import dev.vigil.tsdb.encoding.ByteSource;
import dev.vigil.tsdb.encoding.CorruptDataException;
import dev.vigil.tsdb.head.Head;
import dev.vigil.tsdb.record.RecordDecoder;
import dev.vigil.tsdb.wal.WalReadAhead;

/** Replays records into the head; counts what it could not place. */
final class ReplayHandler implements WalReadAhead.Stage<Object>,
    RecordDecoder.Visitor {
  private final Head head;
  long samples;
  long series;
  long unknown;
  // Samples applied on this thread; samples and unknown add the apply shards' at finish().
  private long countedSamples;
  private long countedUnknown;
  long exemplars;
  private final RecordDecoder decoder = new RecordDecoder();
  private final ByteSource src = new ByteSource("", new byte[0]);
  private int segment = -1;

  private final ShardedApply shards;

  ReplayHandler(Head head, int applyShards) {
    this.head = head;
    this.shards = new ShardedApply(head, applyShards);
  }

  /** Applies everything handed out so far and adds it to the counts. */
  void finish() {
    shards.barrier();
    samples = countedSamples + shards.applied();
    unknown = countedUnknown + shards.unknown();
  }

  void close() {
    shards.close();
  }

  // Decoding of float samples on the read-ahead thread, applying in the shards.
  private final ReadAheadDecoder ahead = new ReadAheadDecoder();

  @Override
  public Object prepare(byte[] buf, int len, int segment, long offset) {
    return ahead.prepare(buf, len, segment, offset);
  }

  @Override
  public void consume(Object prepared) {
    if (prepared instanceof ReadAheadDecoder.Floats f) {
      shards.floats(f.refs, f.ts, f.vs, f.n);
      ahead.release(f);
    } else if (prepared instanceof ReadAheadDecoder.Series s) {
      shards.barrier(); // earlier samples of a ref this record brings must stay unknown
      for (int i = 0; i < s.labels.size(); i++) {
        series(s.refs[i], s.labels.get(i));
      }
    } else {
      ReadAheadDecoder.Other o = (ReadAheadDecoder.Other) prepared;
      shards.barrier(); // tombstones and the rest must see every earlier sample applied
      accept(o.payload(), o.payload().length, o.segment(), o.offset());
    }
  }

  private void accept(byte[] buf, int len, int segment, long offset) {
    if (segment != this.segment) {
      this.segment = segment;
      decoder.segmentStart();
    }
    src.reset("WAL segment " + segment + " record at " + offset, buf, 0, len, 0);
    try {
      decoder.decode(src, this);
    } catch (CorruptDataException e) {
      // The CRC matched, so the bytes are what was written: a bug or a newer writer.
      throw new StorageException("WAL record with valid checksum does not decode: "
          + e.getMessage(), e);
    }
  }

  @Override
  public void series(long ref, Labels labels) {
    head.replaySeries(ref, labels);
    series++;
  }

  @Override
  public void floatSample(long ref, long t, double v) {
    if (head.replaySample(ref, t, v, null)) {
      countedSamples++;
    } else {
      countedUnknown++;
    }
  }

  @Override
  public void floatSamples(long[] refs, long[] ts, double[] vs, int n) {
    int missing = head.replayFloats(refs, ts, vs, n);
    countedSamples += n - missing;
    countedUnknown += missing;
  }

  @Override
  public void tombstone(long ref, long minT, long maxT) {
    head.replayTombstone(ref, minT, maxT);
  }

  @Override
  public void exemplar(long ref, long t, double v, Labels labels) {
    if (head.replayExemplar(ref, t, v, labels)) {
      exemplars++;
    }
  }

  @Override
  public void metadata(long ref, Metadata metadata) {
    head.replayMetadata(ref, metadata);
  }

  @Override
  public void histogramSample(long ref, long t, FloatHistogram h) {
    if (head.replaySample(ref, t, 0, h)) {
      countedSamples++;
    } else {
      countedUnknown++;
    }
  }
}
