package dev.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.exemplar.Exemplar;
import dev.vigil.model.exemplar.ExemplarSeries;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.MatchType;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.metadata.Metadata;
import dev.vigil.model.metadata.MetricType;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.StorageException;
import dev.vigil.tsdb.encoding.ByteSource;
import dev.vigil.tsdb.head.HeadOptions;
import dev.vigil.tsdb.record.RecordDecoder;
import dev.vigil.tsdb.wal.WalReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exemplars and metadata through the TSDB: append rules, WAL, replay, checkpoint. */
class TsdbExemplarTest {
  private static final Labels A = Labels.of("__name__", "req_total", "pod", "a");
  private static final Labels B = Labels.of("__name__", "req_total", "pod", "b");
  private static final Labels C = Labels.of("__name__", "other", "pod", "a");
  private static final List<List<Matcher>> ALL =
      List.of(List.of(Matcher.of(MatchType.REGEX, "__name__", ".+")));

  @TempDir
  Path dir;

  private static Exemplar ex(String trace, double v, long t) {
    return new Exemplar(Labels.of("trace_id", trace), v, t);
  }

  private static List<ExemplarSeries> all(Tsdb db) {
    return db.selectExemplars(Long.MIN_VALUE, Long.MAX_VALUE, ALL);
  }

  /** Record types in the WAL and its checkpoints, in log order. */
  private static List<String> walRecords(Path db) {
    List<String> out = new ArrayList<>();
    RecordDecoder dec = new RecordDecoder();
    RecordDecoder.Visitor v = new RecordDecoder.Visitor() {
      @Override
      public void exemplar(long ref, long t, double value, Labels labels) {
        out.add("exemplar " + t);
      }

      @Override
      public void metadata(long ref, Metadata m) {
        out.add("metadata " + m.type().promName() + " " + m.help());
      }
    };
    int[] segment = {-1};
    WalReader.read(db.resolve("wal"), (buf, len, seg, off) -> {
      if (seg != segment[0]) {
        segment[0] = seg;
        dec.segmentStart(); // float-sample value chains restart per segment
      }
      dec.decode(new ByteSource("wal", buf, 0, len), v);
    });
    return out;
  }

  @Test
  void appendValidatesAsPrometheus() {
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults())) {
      Appender a = db.appender();
      long ref = a.append(0, A, 1000, 1);
      assertThatThrownBy(() -> a.appendExemplar(0, B, ex("x", 1, 1000)))
          .isInstanceOf(StorageException.class).hasMessageContaining("unknown series");
      Exemplar tooLong = new Exemplar(Labels.of("trace_id", "x".repeat(121)), 1, 1000);
      assertThatThrownBy(() -> a.appendExemplar(ref, A, tooLong))
          .hasMessageContaining("exceeds maximum of 128 UTF-8 characters");
      assertThat(a.appendExemplar(ref, A, ex("1", 1, 1000))).isEqualTo(ref);
      assertThat(a.appendExemplar(0, A, ex("1", 1, 1000))).isEqualTo(ref); // duplicate: ignored
      assertThatThrownBy(() -> a.appendExemplar(ref, A, ex("0", 1, 999)))
          .hasMessageContaining("out of order exemplar");
      a.appendExemplar(ref, A, ex("2", 2, 1000)); // same time, new value: kept
      a.commit();
      assertThat(all(db)).containsExactly(new ExemplarSeries(A,
          List.of(ex("1", 1, 1000), ex("2", 2, 1000))));

      Appender b = db.appender();
      assertThatThrownBy(() -> b.appendExemplar(ref, A, ex("3", 1, 999)))
          .hasMessageContaining("out of order exemplar");
      b.appendExemplar(ref, A, ex("2", 2, 1000)); // duplicate of the stored newest
      b.commit();
      assertThat(db.head().exemplars().size()).isEqualTo(2);
    }
  }

  @Test
  void selectsByMatcherSetsAndTimeOldestFirstSortedBySeries() {
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults())) {
      Appender a = db.appender();
      for (Labels l : List.of(C, B, A)) {
        a.append(0, l, 10, 1);
      }
      a.appendExemplar(0, B, ex("b1", 1, 10));
      a.appendExemplar(0, A, ex("a1", 1, 10));
      a.appendExemplar(0, A, ex("a2", 2, 20));
      a.appendExemplar(0, C, ex("c1", 3, 30));
      a.commit();
      assertThat(all(db)).extracting(ExemplarSeries::seriesLabels).containsExactly(C, A, B);
      List<ExemplarSeries> got = db.selectExemplars(15, 30,
          List.of(List.of(Matcher.equal("__name__", "req_total")),
              List.of(Matcher.equal("pod", "a"))));
      assertThat(got).containsExactly(new ExemplarSeries(C, List.of(ex("c1", 3, 30))),
          new ExemplarSeries(A, List.of(ex("a2", 2, 20))));
      assertThat(db.selectExemplars(0, 5, ALL)).isEmpty();
    }
  }

  @Test
  void exemplarsAndMetadataSurviveRestartCheckpointAndAreLoggedOnce() {
    TsdbOptions o = TsdbOptions.defaults().withBlockRangeMs(1000);
    Metadata counter = new Metadata(MetricType.COUNTER, "Requests.", "");
    try (Tsdb db = Tsdb.open(dir, o)) {
      for (int t = 0; t < 3000; t += 100) {
        Appender a = db.appender();
        long ref = a.append(0, A, t, t);
        a.updateMetadata(ref, A, counter);
        a.appendExemplar(ref, A, ex("t" + t, t, t));
        if (t < 900) {
          long churn = a.append(0, B, t, t);
          a.appendExemplar(churn, B, ex("b" + t, t, t));
        }
        a.commit();
      }
      // Metadata is logged when it changes only: once for A.
      assertThat(walRecords(dir).stream().filter(r -> r.startsWith("metadata")))
          .containsExactly("metadata counter Requests.");
      assertThat(db.head().metadataOf(1)).isEqualTo(counter);
      db.cutBlocks(); // B leaves the head; the checkpoint keeps A's exemplars from the cut on
    }
    try (Tsdb db = Tsdb.open(dir, o)) {
      List<ExemplarSeries> got = all(db);
      assertThat(got).extracting(ExemplarSeries::seriesLabels).containsExactly(A);
      List<Long> times = got.get(0).exemplars().stream().map(Exemplar::timestamp).toList();
      assertThat(times).isNotEmpty().allMatch(t -> t >= 1000).isSorted();
      assertThat(times.get(times.size() - 1)).isEqualTo(2900L);
      assertThat(db.head().metadataOf(1)).isEqualTo(counter);
      Appender a = db.appender();
      // Still out of order against the replayed newest exemplar.
      assertThatThrownBy(() -> a.appendExemplar(0, A, ex("late", 1, 2800)))
          .hasMessageContaining("out of order");
      a.updateMetadata(0, A, new Metadata(MetricType.COUNTER, "Requests served.", ""));
      a.commit(); // metadata alone: still logged and durable
    }
    try (Tsdb db = Tsdb.open(dir, o)) {
      assertThat(db.head().metadataOf(1).help()).isEqualTo("Requests served.");
      assertThat(db.head().seriesMetadata(List.of(Matcher.equal("__name__", "req_total"))))
          .containsExactly(new dev.vigil.tsdb.head.Head.SeriesMetadataEntry(A,
              new Metadata(MetricType.COUNTER, "Requests served.", "")));
    }
  }

  @Test
  void metadataIsLoggedOnlyWhenItChangesAndTheBatchsLatestWins() {
    Metadata gauge = new Metadata(MetricType.GAUGE, "g", "");
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults())) {
      Appender a = db.appender();
      long ref = a.append(0, A, 1, 1);
      a.updateMetadata(ref, A, new Metadata(MetricType.COUNTER, "first", ""));
      a.updateMetadata(ref, A, gauge);
      assertThatThrownBy(() -> a.updateMetadata(0, C, gauge))
          .hasMessageContaining("unknown series");
      a.commit();
      Appender b = db.appender();
      b.updateMetadata(0, A, new Metadata(MetricType.GAUGE, "g", "")); // equal: not logged
      b.commit();
      Appender c = db.appender();
      c.updateMetadata(0, A, new Metadata(MetricType.COUNTER, "c", ""));
      c.rollback(); // nothing logged, nothing changed
      assertThat(db.head().metadataOf(ref)).isEqualTo(gauge);
    }
    assertThat(walRecords(dir)).containsExactly("metadata gauge g");
  }

  @Test
  void exemplarOnlyCommitIsDurable() {
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults())) {
      Appender a = db.appender();
      a.append(0, A, 1, 1);
      a.commit();
      Appender b = db.appender();
      b.appendExemplar(0, A, ex("only", 5, 7));
      b.commit();
    }
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults())) {
      assertThat(all(db)).containsExactly(new ExemplarSeries(A, List.of(ex("only", 5, 7))));
    }
  }

  /** A series created by a rejected sample is logged with the exemplar that refers to it. */
  @Test
  void exemplarOfASeriesNeverLoggedBeforeGetsItsSeriesRecord() {
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults())) {
      Appender a = db.appender();
      a.append(0, A, 10, 1);
      a.rollback(); // the series exists in the head but was never logged
      Appender b = db.appender();
      b.appendExemplar(0, A, ex("x", 1, 10));
      b.commit();
    }
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults())) {
      assertThat(db.replayStats().unknownRefs()).isZero();
      assertThat(all(db)).containsExactly(new ExemplarSeries(A, List.of(ex("x", 1, 10))));
    }
  }

  @Test
  void concurrentCommitsAndQueriesSeeEachSeriesInOrder() throws Exception {
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults())) {
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread reader = new Thread(() -> {
        try {
          while (!stop.get()) {
            for (ExemplarSeries s : all(db)) {
              List<Exemplar> ex = s.exemplars();
              for (int i = 1; i < ex.size(); i++) {
                if (ex.get(i).timestamp() <= ex.get(i - 1).timestamp()) {
                  throw new AssertionError(s.seriesLabels() + " out of order: " + ex);
                }
              }
            }
          }
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
        }
      });
      reader.start();
      Thread[] writers = new Thread[3];
      for (int w = 0; w < writers.length; w++) {
        Labels l = Labels.of("__name__", "load", "writer", Integer.toString(w));
        writers[w] = new Thread(() -> {
          for (int t = 1; t <= 500; t++) {
            Appender a = db.appender();
            a.append(0, l, t, t);
            a.appendExemplar(0, l, ex("t" + t, t, t));
            a.commit();
          }
        });
        writers[w].start();
      }
      for (Thread t : writers) {
        t.join();
      }
      stop.set(true);
      reader.join();
      assertThat(failure.get()).isNull();
      assertThat(all(db)).hasSize(3).allSatisfy(s -> assertThat(s.exemplars()).hasSize(500));
    }
  }

  @Test
  void limitZeroStoresAndLogsNoExemplars() {
    TsdbOptions o = TsdbOptions.defaults()
        .withHead(HeadOptions.defaults().withMaxExemplars(0));
    try (Tsdb db = Tsdb.open(dir, o)) {
      Appender a = db.appender();
      long ref = a.append(0, A, 10, 1);
      assertThat(a.appendExemplar(ref, A, ex("x", 1, 10))).isEqualTo(ref);
      a.commit();
      assertThat(all(db)).isEmpty();
    }
    assertThat(walRecords(dir)).noneMatch(r -> r.startsWith("exemplar"));
  }

  @Test
  void ringLimitIsPerDatabase() {
    TsdbOptions o = TsdbOptions.defaults().withHead(HeadOptions.defaults().withMaxExemplars(3));
    try (Tsdb db = Tsdb.open(dir, o)) {
      for (int t = 1; t <= 5; t++) {
        Appender a = db.appender();
        a.append(0, t % 2 == 0 ? A : B, t, t);
        a.appendExemplar(0, t % 2 == 0 ? A : B, ex("e" + t, t, t));
        a.commit();
      }
      assertThat(all(db)).containsExactly(new ExemplarSeries(A, List.of(ex("e4", 4, 4))),
          new ExemplarSeries(B, List.of(ex("e3", 3, 3), ex("e5", 5, 5))));
    }
    try (Tsdb db = Tsdb.open(dir, o)) { // replay refills the ring in log order: same answer
      assertThat(all(db)).containsExactly(new ExemplarSeries(A, List.of(ex("e4", 4, 4))),
          new ExemplarSeries(B, List.of(ex("e3", 3, 3), ex("e5", 5, 5))));
    }
  }
}
