package dev.vigil.tsdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.model.labels.Labels;
import dev.vigil.model.labels.MatchType;
import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.Queryable;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.StorageException;
import dev.vigil.tsdb.contract.QueryableContract;
import dev.vigil.tsdb.head.HeadOptions;
import dev.vigil.tsdb.wal.WalReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TsdbTest {
  @TempDir
  Path dir;

  static List<String> all(Queryable db) {
    try (Querier q = db.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      return QueryableContract.dump(q.select(true, SelectHints.range(0, 0),
          List.of(Matcher.of(MatchType.REGEX, "__name__", ".+"))));
    }
  }

  static void write(Tsdb db, int from, int to) {
    Appender a = db.appender();
    for (int t = from; t < to; t++) {
      a.append(0, Labels.of("__name__", "m", "i", Integer.toString(t % 3)), t, t);
    }
    a.commit();
  }

  @Test
  void tornTailIsRepairedAndEverythingBeforeItKept() throws IOException {
    List<String> before;
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults())) {
      write(db, 0, 100);
      write(db, 100, 200);
      before = all(db);
    }
    int[] segs = WalReader.segments(dir.resolve("wal"));
    Path last = dir.resolve("wal").resolve(String.format("%08d", segs[segs.length - 1]));
    // A half-written record: a length promising more bytes than follow.
    Files.write(last, new byte[] {0, 0, 1, 0, 1, 2, 3, 4, 5}, StandardOpenOption.APPEND);
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults())) {
      assertThat(db.replayStats().corruption()).contains("exceeds");
      assertThat(db.replayStats().samples()).isEqualTo(200);
      assertThat(all(db)).isEqualTo(before);
      write(db, 200, 210);
    }
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults())) {
      assertThat(db.replayStats().corruption()).isNull();
      assertThat(db.replayStats().samples()).isEqualTo(210);
      assertThat(Files.list(dir.resolve("wal").resolve("quarantine")).count()).isEqualTo(1);
    }
  }

  @Test
  void oneProcessPerDirectory() {
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults())) {
      assertThat(db.dir()).isEqualTo(dir);
      assertThatThrownBy(() -> Tsdb.open(dir, TsdbOptions.defaults()))
          .isInstanceOf(StorageException.class).hasMessageContaining("already open");
    }
    Tsdb.open(dir, TsdbOptions.defaults()).close();
  }

  @Test
  void outOfOrderSamplesSurviveReplayAndRejectedOnesAreNotLogged() {
    TsdbOptions opts = TsdbOptions.defaults()
        .withHead(HeadOptions.defaults().withOutOfOrderWindowMs(50));
    List<String> before;
    try (Tsdb db = Tsdb.open(dir, opts)) {
      write(db, 0, 100);
      Appender a = db.appender();
      a.append(0, Labels.of("__name__", "m", "i", "0"), 70, -1); // replaces nothing: 70%3 != 0
      // 55%3 == 1: the series holds another value at 55, which an out-of-order one cannot replace
      assertThatThrownBy(() -> a.append(0, Labels.of("__name__", "m", "i", "1"), 55, -2))
          .isInstanceOf(StorageException.class).hasMessageContaining("duplicate sample");
      assertThatThrownBy(() -> a.append(0, Labels.of("__name__", "m", "i", "2"), 10, 0))
          .isInstanceOf(StorageException.class);
      a.commit();
      before = all(db);
      assertThat(before.get(0)).contains(" 69=" + Long.toHexString(Double.doubleToRawLongBits(69))
          + " 70=" + Long.toHexString(Double.doubleToRawLongBits(-1)) + " 72=");
    }
    try (Tsdb db = Tsdb.open(dir, opts)) {
      assertThat(all(db)).isEqualTo(before);
    }
  }

  /**
   * As Prometheus and Mimir: no append (a new series, or one far behind the others) more than
   * half a block range behind the newest sample, so that a block cut, which writes only data
   * at least that far behind, never races a commit for a sample it already acknowledged.
   */
  @Test
  void samplesMoreThanHalfABlockRangeBehindTheNewestAreOutOfBounds() {
    TsdbOptions opts = TsdbOptions.defaults().withBlockRangeMs(10_000);
    Labels a = Labels.of("__name__", "a");
    Labels b = Labels.of("__name__", "b");
    try (Tsdb db = Tsdb.open(dir, opts)) {
      Appender first = db.appender();
      first.append(0, a, 1_000, 1);
      first.append(0, b, 1_000, 1);
      first.append(0, a, 20_000, 2);
      first.commit();
      assertThat(db.head().appendFloor()).isEqualTo(15_000);
      Appender late = db.appender();
      assertThatThrownBy(() -> late.append(0, b, 14_999, 3)).isInstanceOf(StorageException.class)
          .hasMessageContaining("out of bounds").hasMessageContaining("timestamp 14999")
          .hasMessageContaining("5000 ms (half the block range) behind 20000");
      assertThatThrownBy(() -> late.append(0, Labels.of("__name__", "new"), 2_000, 3))
          .isInstanceOf(StorageException.class).hasMessageContaining("out of bounds");
      late.append(0, b, 15_000, 4); // a series behind the others, within the bound
      late.commit();
      assertThat(all(db)).containsExactly(
          a + ": 1000=3ff0000000000000 20000=4000000000000000",
          b + ": 1000=3ff0000000000000 15000=4010000000000000");
    }
  }

  @Test
  void anInterruptedCommitterNeitherBreaksTheWalNorLosesItsInterrupt() {
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults())) {
      Thread.currentThread().interrupt();
      try {
        write(db, 0, 10);
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
      } finally {
        Thread.interrupted();
      }
      write(db, 10, 20);
    }
    try (Tsdb db = Tsdb.open(dir, TsdbOptions.defaults())) {
      assertThat(db.replayStats().samples()).isEqualTo(20);
    }
  }

  @Test
  void closedDatabaseRefusesWork() {
    Tsdb db = Tsdb.open(dir, TsdbOptions.defaults());
    Appender a = db.appender();
    a.append(0, Labels.of("__name__", "x"), 1, 1);
    db.close();
    db.close();
    assertThatThrownBy(a::commit).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(db::appender).isInstanceOf(IllegalStateException.class);
  }
}
