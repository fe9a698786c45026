package dev.vigil.tsdb.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class WalReadAheadTest {
  @TempDir
  Path tmp;

  private static final WalOptions SMALL = WalOptions.defaults().withFsync(FsyncPolicy.INTERVAL)
      .withSegmentSize(4096);

  @Test
  void deliversWhatTheReaderDeliversInOrderUpToTheSameDamage() throws IOException {
    List<byte[]> want = WalTest.writeRecords(tmp, SMALL, new Random(5), 500, 300);
    int[] segs = WalReader.segments(tmp);
    assertThat(segs.length).as("several segments").isGreaterThan(10);
    // A torn tail in the last segment.
    Files.write(tmp.resolve(WalFormat.segmentName(segs[segs.length - 1])),
        new byte[] {0, 0, 9, 0, 1}, StandardOpenOption.APPEND);
    WalReader.Result[] direct = new WalReader.Result[1];
    List<byte[]> plain = WalTest.readAll(tmp, direct);
    List<byte[]> ahead = new ArrayList<>();
    List<String> where = new ArrayList<>();
    WalReader.Result r = WalReadAhead.read(tmp, (buf, len, seg, off) -> {
      ahead.add(Arrays.copyOf(buf, len));
      where.add(seg + ":" + off);
    }, 0);
    assertThat(ahead).hasSize(want.size()).hasSameSizeAs(plain);
    for (int i = 0; i < want.size(); i++) {
      assertThat(ahead.get(i)).isEqualTo(want.get(i));
    }
    assertThat(r.records()).isEqualTo(direct[0].records());
    assertThat(r.corruption()).isEqualTo(direct[0].corruption()).isNotNull();
    assertThat(where.get(0)).isEqualTo(segs[0] + ":" + WalFormat.SEGMENT_HEADER_SIZE);
    // Only segments after `after` are read.
    List<byte[]> tail = new ArrayList<>();
    WalReadAhead.read(tmp, (buf, len, seg, off) -> tail.add(buf), segs[segs.length - 2]);
    assertThat(tail).hasSizeLessThan(want.size()).isNotEmpty();
  }

  @Test
  void aFailingConsumerStopsTheReaderAndItsErrorComesThrough() {
    WalTest.writeRecords(tmp, SMALL, new Random(6), 2000, 300);
    int[] seen = new int[1];
    assertThatThrownBy(() -> WalReadAhead.read(tmp, (buf, len, seg, off) -> {
      if (++seen[0] == 3) {
        throw new IllegalArgumentException("bad record 3");
      }
    }, 0)).isInstanceOf(IllegalArgumentException.class).hasMessage("bad record 3");
    assertThat(Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals("wal-read-ahead"))).isEmpty();
  }

  @Test
  void aReaderErrorComesThroughToTheCaller() throws IOException {
    WalTest.writeRecords(tmp, SMALL, new Random(7), 20, 30);
    byte[] seg = Files.readAllBytes(tmp.resolve(WalFormat.segmentName(1)));
    seg[4] = 9; // a version this build cannot read
    Files.write(tmp.resolve(WalFormat.segmentName(1)), seg);
    assertThatThrownBy(() -> WalReadAhead.read(tmp, (buf, len, s, off) -> { }, 0))
        .isInstanceOf(dev.vigil.tsdb.encoding.UnsupportedFormatVersionException.class);
  }

  @Test
  void aStagePreparesOnTheReadAheadThreadAndConsumesInOrderOnTheCaller() throws IOException {
    List<byte[]> want = WalTest.writeRecords(tmp, SMALL, new Random(8), 400, 200);
    Thread caller = Thread.currentThread();
    List<String> preparedOn = new ArrayList<>();
    List<byte[]> got = new ArrayList<>();
    WalReader.Result r = WalReadAhead.read(tmp, new WalReadAhead.Stage<byte[]>() {
      @Override
      public byte[] prepare(byte[] buf, int len, int segment, long offset) {
        preparedOn.add(Thread.currentThread().getName());
        return Arrays.copyOf(buf, len);
      }

      @Override
      public void consume(byte[] prepared) {
        assertThat(Thread.currentThread()).isSameAs(caller);
        got.add(prepared);
      }
    }, 0);
    assertThat(r.corruption()).isNull();
    assertThat(preparedOn).hasSize(want.size()).containsOnly("wal-read-ahead");
    assertThat(got).hasSize(want.size());
    for (int i = 0; i < want.size(); i++) {
      assertThat(got.get(i)).isEqualTo(want.get(i));
    }
  }

  @Test
  void anErrorInPrepareComesThroughAfterTheRecordsBeforeIt() throws IOException {
    WalTest.writeRecords(tmp, SMALL, new Random(9), 300, 100);
    int[] consumed = new int[1];
    int[] prepared = new int[1];
    assertThatThrownBy(() -> WalReadAhead.read(tmp, new WalReadAhead.Stage<Integer>() {
      @Override
      public Integer prepare(byte[] buf, int len, int segment, long offset) {
        if (prepared[0] == 50) {
          throw new IllegalStateException("record 50 does not decode");
        }
        return prepared[0]++;
      }

      @Override
      public void consume(Integer i) {
        assertThat(i).isEqualTo(consumed[0]++);
      }
    }, 0)).isInstanceOf(IllegalStateException.class).hasMessage("record 50 does not decode");
    assertThat(consumed[0]).isEqualTo(50);
  }

  @Test
  @Timeout(30)
  void theReaderRunsAheadByAtMostItsBudgetOfWeights() throws IOException {
    List<byte[]> want = WalTest.writeRecords(tmp, SMALL, new Random(10), 600, 200);
    long budget = 2000;
    AtomicLong prepared = new AtomicLong(); // weight prepared and not consumed yet
    long[] most = new long[1];
    List<byte[]> got = new ArrayList<>();
    WalReader.Result r = WalReadAhead.read(tmp, new WalReadAhead.Stage<byte[]>() {
      @Override
      public byte[] prepare(byte[] buf, int len, int segment, long offset) {
        byte[] p = Arrays.copyOf(buf, len);
        prepared.addAndGet(weight(p));
        return p;
      }

      @Override
      public long weight(byte[] p) {
        return p.length + 1;
      }

      @Override
      public void consume(byte[] p) {
        if (got.size() % 50 == 0) {
          pause(); // the reader fills its budget meanwhile
        }
        most[0] = Math.max(most[0], prepared.get());
        prepared.addAndGet(-weight(p));
        got.add(p);
      }
    }, 0, budget);
    assertThat(r.corruption()).isNull();
    assertThat(got).hasSize(want.size());
    for (int i = 0; i < want.size(); i++) {
      assertThat(got.get(i)).isEqualTo(want.get(i));
    }
    // Handed over: within the budget; plus the one record prepared and waiting for room.
    assertThat(most[0]).isLessThanOrEqualTo(budget + 200).isGreaterThan(budget - 200);
  }

  @Test
  @Timeout(30)
  void aRecordHeavierThanTheWholeBudgetGoesThroughAlone() throws IOException {
    List<byte[]> want = WalTest.writeRecords(tmp, SMALL, new Random(11), 200, 100);
    AtomicLong prepared = new AtomicLong();
    long[] most = new long[1];
    List<byte[]> got = new ArrayList<>();
    WalReadAhead.read(tmp, new WalReadAhead.Stage<byte[]>() {
      @Override
      public byte[] prepare(byte[] buf, int len, int segment, long offset) {
        prepared.incrementAndGet();
        return Arrays.copyOf(buf, len);
      }

      @Override
      public long weight(byte[] p) {
        return 1000;
      }

      @Override
      public void consume(byte[] p) {
        if (got.size() % 20 == 0) {
          pause();
        }
        most[0] = Math.max(most[0], prepared.get());
        prepared.decrementAndGet();
        got.add(p);
      }
    }, 0, 10);
    assertThat(got).hasSize(want.size());
    // The one being consumed, and the next prepared and waiting for it.
    assertThat(most[0]).isLessThanOrEqualTo(2);
  }

  private static void pause() {
    try {
      Thread.sleep(2);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
