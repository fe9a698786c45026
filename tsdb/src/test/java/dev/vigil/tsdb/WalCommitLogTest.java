package dev.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.StorageException;
import dev.vigil.tsdb.encoding.ByteSource;
import dev.vigil.tsdb.head.CommitBatch;
import dev.vigil.tsdb.record.RecordDecoder;
import dev.vigil.tsdb.record.RecordType;
import dev.vigil.tsdb.wal.FullDiskChannel;
import dev.vigil.tsdb.wal.WalOptions;
import dev.vigil.tsdb.wal.WalReader;
import dev.vigil.tsdb.wal.WalWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commit log's value chains: a batch whose write failed (its values never reached the log)
 * and a segment started between two commits must not leave later values coded against values
 * the log does not have.
 */
class WalCommitLogTest {
  @TempDir
  Path tmp;

  /** Series 1..3 (logged with the first batch only), one sample each at {@code t}. */
  private record Batch(boolean withSeries, long t, double[] vs) implements CommitBatch {
    @Override
    public int seriesCount() {
      return withSeries ? vs.length : 0;
    }

    @Override
    public long seriesRef(int i) {
      return i + 1;
    }

    @Override
    public Labels seriesLabels(int i) {
      return Labels.of("__name__", "m", "s", Integer.toString(i + 1));
    }

    @Override
    public int sampleCount() {
      return vs.length;
    }

    @Override
    public boolean accepted(int i) {
      return true;
    }

    @Override
    public long ref(int i) {
      return i + 1;
    }

    @Override
    public long t(int i) {
      return t;
    }

    @Override
    public double v(int i) {
      return vs[i];
    }

    @Override
    public FloatHistogram histogram(int i) {
      return null;
    }
  }

  /** Every float sample of the log as "segment:ref@t=v", each segment read by a new decoder. */
  private static List<String> read(Path dir) {
    List<String> out = new ArrayList<>();
    int[] seg = {-1};
    RecordDecoder[] dec = {null};
    WalReader.Result r = WalReader.read(dir, (buf, len, segment, offset) -> {
      if (segment != seg[0]) {
        seg[0] = segment;
        dec[0] = new RecordDecoder();
      }
      dec[0].decode(new ByteSource("wal", java.util.Arrays.copyOf(buf, len)),
          new RecordDecoder.Visitor() {
            @Override
            public void floatSample(long ref, long t, double v) {
              out.add(segment + ":" + ref + "@" + t + "=" + v);
            }
          });
    }, 0);
    assertThat(r.corruption()).isNull();
    return out;
  }

  @Test
  void aFailedWriteAndANewSegmentRestartTheValueChain() {
    AtomicLong budget = new AtomicLong(Long.MAX_VALUE);
    Path dir = tmp.resolve("wal");
    try (WalWriter w = WalWriter.open(dir, WalOptions.defaults(),
        (file, opts) -> new FullDiskChannel(FileChannel.open(file, opts), budget))) {
      WalCommitLog log = new WalCommitLog(w);
      log.write(new Batch(true, 1000, new double[] {10, 20.5, 30}));
      budget.set(5); // the disk fills up in the middle of the next batch
      assertThatThrownBy(() -> log.write(new Batch(false, 2000, new double[] {11, 20.75, 31})))
          .isInstanceOf(StorageException.class).hasMessageContaining("No space left");
      budget.set(Long.MAX_VALUE);
      log.write(new Batch(false, 3000, new double[] {12, 21, 32}));
      w.rotateNow(); // as a checkpoint does, between two commits
      log.write(new Batch(false, 4000, new double[] {13, 21.25, 33}));
    }
    assertThat(read(dir)).containsExactly("1:1@1000=10.0", "1:2@1000=20.5", "1:3@1000=30.0",
        "1:1@3000=12.0", "1:2@3000=21.0", "1:3@3000=32.0",
        "2:1@4000=13.0", "2:2@4000=21.25", "2:3@4000=33.0");
  }

  @Test
  void aBatchThatStartsANewSegmentIsReencodedForIt() {
    Path dir = tmp.resolve("wal");
    try (WalWriter w = WalWriter.open(dir, WalOptions.defaults().withSegmentSize(4096))) {
      WalCommitLog log = new WalCommitLog(w);
      for (int k = 0; k < 2000; k++) {
        log.write(new Batch(k == 0, k * 1000L, new double[] {k, k * 0.5, -k * 3.25}));
      }
    }
    List<String> got = read(dir);
    assertThat(got).hasSize(6000);
    assertThat(got.getLast()).endsWith("3@1999000=-6496.75");
    assertThat(got.stream().map(x -> x.substring(0, x.indexOf(':'))).distinct().count())
        .isGreaterThan(10);
  }

  @Test
  void aBatchsNewSeriesAreOneSeriesRecordV2() {
    Path dir = tmp.resolve("wal");
    try (WalWriter w = WalWriter.open(dir, WalOptions.defaults())) {
      new WalCommitLog(w).write(new Batch(true, 1000, new double[] {1, 2, 3}));
    }
    List<Integer> types = new ArrayList<>();
    List<String> series = new ArrayList<>();
    WalReader.read(dir, (buf, len, segment, offset) -> {
      types.add(buf[0] & 0xFF);
      new RecordDecoder().decode(new ByteSource("wal", java.util.Arrays.copyOf(buf, len)),
          new RecordDecoder.Visitor() {
            @Override
            public void series(long ref, Labels labels) {
              series.add(ref + " " + labels);
            }
          });
    }, 0);
    assertThat(types).containsExactly(RecordType.SERIES_V2, RecordType.FLOAT_SAMPLES_V2);
    assertThat(series).containsExactly("1 {__name__=\"m\", s=\"1\"}",
        "2 {__name__=\"m\", s=\"2\"}", "3 {__name__=\"m\", s=\"3\"}");
  }
}
