package dev.vigil.tsdb.head;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.model.labels.Labels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InternerTest {
  /**
   * Equal strings come back as one instance, whatever the order, repeats and collisions in the
   * direct-mapped cache in front of the map (100k distinct strings over its 4096 slots).
   */
  @Test
  void equalStringsBecomeOneInstance() {
    Interner in = new Interner();
    Random r = new Random(11);
    List<String> first = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      first.add(in.intern("value-" + i));
    }
    for (int k = 0; k < 300_000; k++) {
      int i = r.nextInt(100_000);
      String copy = new String("value-" + i); // equal, another instance
      assertThat(in.intern(copy)).isSameAs(first.get(i));
      assertThat(in.intern(first.get(i))).isSameAs(first.get(i));
    }
  }

  @Test
  void labelsWhoseStringsAreInternedAlreadyAreKept() {
    Interner in = new Interner();
    Labels a = in.intern(Labels.of("__name__", "up", "job", new String("api")));
    Labels same = in.intern(a);
    assertThat(same).isSameAs(a);
    Labels equal = in.intern(Labels.of(new String("__name__"), new String("up"), "job",
        new String("api")));
    assertThat(equal).isEqualTo(a).isNotSameAs(a);
    assertThat(equal.value(1)).isSameAs(a.value(1));
    assertThat(equal.name(0)).isSameAs(a.name(0));
  }
}
