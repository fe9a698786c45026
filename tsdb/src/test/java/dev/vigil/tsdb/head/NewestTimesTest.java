package dev.vigil.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NewestTimesTest {
  @Test
  void unknownIdsReadAsMinValueAndSetValuesReadBackAcrossPages() {
    NewestTimes n = new NewestTimes();
    assertThat(n.get(1)).isEqualTo(Long.MIN_VALUE);
    assertThat(n.get(1 << 20)).isEqualTo(Long.MIN_VALUE);
    Random r = new Random(3);
    Map<Integer, Long> expected = new HashMap<>();
    for (int i = 0; i < 2000; i++) {
      int id = 1 + r.nextInt(1 << 18); // many pages, created in no order
      n.ensure(id);
      if (!expected.containsKey(id)) {
        assertThat(n.get(id)).as("fresh id " + id).isEqualTo(Long.MIN_VALUE);
      }
      long t = r.nextLong();
      n.set(id, t);
      expected.put(id, t);
    }
    for (var e : expected.entrySet()) {
      assertThat(n.get(e.getKey())).as("id " + e.getKey()).isEqualTo(e.getValue());
    }
    assertThat(n.get((1 << 18) + (1 << 13))).as("beyond every page").isEqualTo(Long.MIN_VALUE);
  }
}
