package dev.vigil.collector.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PositionTrackerTest {
  @Test
  void advancesOnlyOverFullyAcknowledgedPrefixes() {
    PositionTracker t = new PositionTracker(new WalPosition(1, 0));
    long a = t.open(1, 100);
    long b = t.open(1, 200);
    long c = t.open(1, 300);
    t.seal(a, 2);
    t.seal(b, 1);
    t.seal(c, 0); // a series record: nothing to send
    t.ack(new long[] {b}, 0, 1);
    assertThat(t.sent()).isEqualTo(new WalPosition(1, 0)); // a still pending
    t.ack(new long[] {a}, 0, 1);
    assertThat(t.sent()).isEqualTo(new WalPosition(1, 0));
    t.ack(new long[] {a}, 0, 1);
    assertThat(t.sent()).isEqualTo(new WalPosition(1, 300)); // a, b and c at once
    assertThat(t.openMarks()).isZero();
  }

  @Test
  void acksBeforeTheSealDoNotCompleteAMark() {
    PositionTracker t = new PositionTracker(new WalPosition(2, 8));
    long a = t.open(2, 50);
    t.ack(new long[] {a, a}, 0, 2); // shards were quicker than the watcher
    assertThat(t.sent()).isEqualTo(new WalPosition(2, 8));
    t.seal(a, 3);
    assertThat(t.sent()).isEqualTo(new WalPosition(2, 8));
    t.ack(new long[] {a}, 0, 1);
    assertThat(t.sent()).isEqualTo(new WalPosition(2, 50));
    assertThatThrownBy(() -> t.ack(new long[] {a}, 0, 1)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void randomOrderOfAcksAcrossManyMarks() {
    Random r = new Random(3);
    for (int round = 0; round < 50; round++) {
      PositionTracker t = new PositionTracker(new WalPosition(1, 0));
      List<Long> samples = new ArrayList<>();
      int marks = 1 + r.nextInt(3000); // beyond the initial ring size
      for (int m = 0; m < marks; m++) {
        long id = t.open(1 + m / 100, (m % 100 + 1) * 10L);
        int n = r.nextInt(4);
        for (int k = 0; k < n; k++) {
          samples.add(id);
        }
        t.seal(id, n);
      }
      Collections.shuffle(samples, r);
      for (long id : samples) {
        t.ack(new long[] {id}, 0, 1);
      }
      int last = marks - 1;
      assertThat(t.sent()).isEqualTo(new WalPosition(1 + last / 100, (last % 100 + 1) * 10L));
      assertThat(t.openMarks()).isZero();
    }
  }
}
