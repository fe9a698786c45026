package dev.vigil.model.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class LabelsTest {
  @Test
  void sortsDropsEmptyAndLooksUp() {
    Labels l = Labels.of("job", "api", "__name__", "up", "empty", "", "instance", "a:1");
    assertThat(l.size()).isEqualTo(3);
    assertThat(l.name(0)).isEqualTo("__name__");
    assertThat(l.get("job")).isEqualTo("api");
    assertThat(l.get("missing")).isEmpty();
    assertThat(l.has("empty")).isFalse();
    assertThat(l.metricName()).isEqualTo("up");
    assertThat(l).hasToString("{__name__=\"up\", instance=\"a:1\", job=\"api\"}");
    assertThat(l.toMetricString()).isEqualTo("up{instance=\"a:1\", job=\"api\"}");
  }

  @Test
  void appendAddsInOrderAndRefusesANameThatDoesNotSortAfterTheLast() {
    Labels l = Labels.builder().append("a", "1").append("b", "").append("c", "3").build();
    assertThat(l).isEqualTo(Labels.of("a", "1", "c", "3"));
    assertThatThrownBy(() -> Labels.builder().append("b", "1").append("a", "2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("label name a does not sort after b");
    assertThatThrownBy(() -> Labels.builder().append("b", "1").append("b", "2"))
        .isInstanceOf(IllegalArgumentException.class);
    Random r = new Random(5);
    for (int round = 0; round < 200; round++) {
      TreeMap<String, String> m = new TreeMap<>();
      for (int i = r.nextInt(12); i > 0; i--) {
        m.put("n" + r.nextInt(30), r.nextInt(4) == 0 ? "" : "v" + r.nextInt(5));
      }
      Labels.Builder b = Labels.builder();
      m.forEach(b::append);
      assertThat(b.build()).isEqualTo(Labels.fromMap(m));
    }
  }

  @Test
  void oddArgumentCountIsAnError() {
    assertThatThrownBy(() -> Labels.of("a")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void quotesNamesThatAreNotLegacy() {
    Labels l = Labels.of("__name__", "my.metric", "a.b", "x\"y");
    assertThat(l.toMetricString()).isEqualTo("{\"my.metric\", \"a.b\"=\"x\\\"y\"}");
    assertThat(Labels.of("a", "1").toMetricString()).isEqualTo("{a=\"1\"}");
    assertThat(Labels.of("__name__", "x").toMetricString()).isEqualTo("x");
  }

  @Test
  void keepDropWithout() {
    Labels l = Labels.of("__name__", "x", "a", "1", "b", "2");
    assertThat(l.keep(Set.of("a"))).isEqualTo(Labels.of("a", "1"));
    assertThat(l.drop(Set.of("a"))).isEqualTo(Labels.of("__name__", "x", "b", "2"));
    assertThat(l.withoutMetricName()).isEqualTo(Labels.of("a", "1", "b", "2"));
    assertThat(l.without("zz")).isSameAs(l);
  }

  @Test
  void builderSetsReplacesAndDeletes() {
    Labels l = Labels.of("a", "1", "c", "3").toBuilder().set("b", "2").set("a", "9").del("c")
        .set("d", "").build();
    assertThat(l).isEqualTo(Labels.of("a", "9", "b", "2"));
    assertThat(Labels.builder().build()).isSameAs(Labels.EMPTY);
  }

  @Test
  void aSizedBuilderStillGrowsPastItsSize() {
    for (int size : new int[] {0, 1, 3, 12}) {
      Labels.Builder b = Labels.builder(size);
      for (int i = 0; i < 12; i++) {
        b.append("l" + (char) ('a' + i), "v" + i);
      }
      assertThat(b.build().size()).as("builder(%d)", size).isEqualTo(12);
      assertThat(b.build().value(11)).isEqualTo("v11");
    }
  }

  @Test
  void orderingMatchesPrometheus() {
    List<Labels> sorted = new ArrayList<>(List.of(
        Labels.of("a", "2"), Labels.of("a", "1", "b", "1"), Labels.of("a", "1"), Labels.of("b", "0")));
    sorted.sort(null);
    assertThat(sorted).containsExactly(
        Labels.of("a", "1"), Labels.of("a", "1", "b", "1"), Labels.of("a", "2"), Labels.of("b", "0"));
  }

  @Test
  void builderAgreesWithASortedMapOnRandomInput() {
    Random r = new Random(42);
    for (int round = 0; round < 500; round++) {
      TreeMap<String, String> expected = new TreeMap<>();
      Labels.Builder b = Labels.builder();
      for (int op = 0; op < 20; op++) {
        String name = "n" + r.nextInt(8);
        if (r.nextInt(4) == 0) {
          expected.remove(name);
          b.del(name);
        } else {
          String value = r.nextInt(3) == 0 ? "" : "v" + r.nextInt(5);
          if (value.isEmpty()) {
            expected.remove(name);
          } else {
            expected.put(name, value);
          }
          b.set(name, value);
        }
      }
      Labels built = b.build();
      assertThat(built).isEqualTo(Labels.fromMap(expected));
      assertThat(built.hash()).isEqualTo(Labels.fromMap(expected).hash());
      assertThat(built.size()).isEqualTo(expected.size());
    }
  }

  @Test
  void equalityIsByContentNotIdentity() {
    Labels a = Labels.of("job", "api", "pod", "p-1");
    // Distinct String objects with the same characters: equal, with equal hashes.
    Labels b = Labels.of(new String("job"), new String("api"), new String("pod"), new String("p-1"));
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a.equals(a)).isTrue();
    assertThat(a.equals(null)).isFalse();
    assertThat(a.equals("{job=\"api\", pod=\"p-1\"}")).isFalse();
    assertThat(a).isNotEqualTo(Labels.of("job", "api", "pod", "p-2")); // last value differs
    assertThat(a).isNotEqualTo(Labels.of("job", "apj", "pod", "p-1")); // first value differs
    assertThat(a).isNotEqualTo(Labels.of("job", "api", "pox", "p-1")); // a name differs
    assertThat(a).isNotEqualTo(Labels.of("job", "api")); // a prefix
    assertThat(Labels.of("job", "api")).isNotEqualTo(a);
    assertThat(a).isNotEqualTo(Labels.EMPTY);
    assertThat(Labels.EMPTY).isEqualTo(Labels.of()).isEqualTo(Labels.of("x", ""));
  }

  @Test
  void equalityAgreesWithCompareToOnRandomSets() {
    Random r = new Random(42);
    List<Labels> sets = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      Labels.Builder b = Labels.builder();
      int n = r.nextInt(4);
      for (int j = 0; j < n; j++) {
        // Fresh strings each time, so equal sets rarely share String objects.
        b.set(new String("n" + r.nextInt(3)), new String("v" + r.nextInt(3)));
      }
      sets.add(b.build());
    }
    for (Labels x : sets) {
      for (Labels y : sets) {
        boolean same = x.compareTo(y) == 0;
        assertThat(x.equals(y)).as("%s vs %s", x, y).isEqualTo(same);
        if (same) {
          assertThat(x.hashCode()).isEqualTo(y.hashCode());
          assertThat(x.hash()).isEqualTo(y.hash());
        }
      }
    }
  }
}
