package dev.vigil.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SeriesIndexMapTest {
  @Test
  void slotGetAndPutAgreeWithAHashMapThroughGrowthAndClears() {
    Random r = new Random(5);
    SeriesIndexMap m = new SeriesIndexMap();
    Map<Integer, Integer> ref = new HashMap<>();
    for (int op = 0; op < 200_000; op++) {
      int key = 1 + r.nextInt(op % 3 == 0 ? 50 : 5000);
      switch (r.nextInt(4)) {
        case 0 -> {
          m.put(key, op);
          ref.put(key, op);
        }
        case 1 -> {
          // slot inserts a missing key with the given value, like computeIfAbsent
          int slot = m.slot(key, -1);
          int expected = ref.getOrDefault(key, -1);
          assertThat(m.valueAt(slot)).as("op " + op).isEqualTo(expected);
          ref.putIfAbsent(key, -1);
          if (r.nextBoolean()) {
            m.setAt(slot, op);
            ref.put(key, op);
          }
        }
        case 2 -> assertThat(m.get(key, -7)).as("op " + op).isEqualTo(ref.getOrDefault(key, -7));
        default -> {
          if (r.nextInt(500) == 0) {
            m.clear();
            ref.clear();
          }
        }
      }
    }
    for (var e : ref.entrySet()) {
      assertThat(m.get(e.getKey(), -7)).isEqualTo(e.getValue());
    }
  }
}
