package dev.vigil.tsdb.encoding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StringTableTest {
  @Test
  void returnsTheDecodedStringAndOneObjectPerRepeatedValue() {
    StringTable t = new StringTable(4); // 16 slots: collisions on purpose
    SplittableRandom r = new SplittableRandom(3);
    String[] pool = new String[200];
    for (int i = 0; i < pool.length; i++) {
      pool[i] = switch (i % 4) {
        case 0 -> "v" + i;
        case 1 -> "ünïcödé-" + i + "-\u2603";
        case 2 -> "";
        default -> "x".repeat(i);
      };
    }
    for (int k = 0; k < 20_000; k++) {
      String want = pool[r.nextInt(pool.length)];
      byte[] utf8 = want.getBytes(StandardCharsets.UTF_8);
      byte[] padded = new byte[utf8.length + 7];
      System.arraycopy(utf8, 0, padded, 3, utf8.length);
      assertThat(t.get(padded, 3, utf8.length)).isEqualTo(want);
    }
    byte[] name = "namespace".getBytes(StandardCharsets.UTF_8);
    assertThat(t.get(name, 0, name.length)).isSameAs(t.get(name.clone(), 0, name.length));
  }

  @Test
  void aCanonicalisingTableHandsOutTheCanonicalInstanceItAskedForOncePerMiss() {
    Map<String, String> interned = new HashMap<>();
    int[] asked = new int[1];
    StringTable t = new StringTable(4, s -> {
      asked[0]++;
      return interned.computeIfAbsent(s, x -> x);
    });
    SplittableRandom r = new SplittableRandom(5);
    for (int k = 0; k < 2000; k++) {
      String want = "value-" + r.nextInt(40);
      byte[] utf8 = want.getBytes(StandardCharsets.UTF_8);
      String got = t.get(utf8, 0, utf8.length);
      assertThat(got).isEqualTo(want).isSameAs(interned.get(want));
    }
    // 40 strings in 16 slots: misses, but far fewer than lookups.
    assertThat(asked[0]).isGreaterThanOrEqualTo(40).isLessThan(2000);
  }

  @Test
  void sizeIsChecked() {
    assertThatThrownBy(() -> new StringTable(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bits must be 1..20");
  }
}
