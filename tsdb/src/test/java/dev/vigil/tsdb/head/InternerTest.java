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

  /**
   * Whichever of the names and values are the interned instances already (none, some from the
   * first name on, from a value on, from a later name on), the result equals the input, holds
   * only interned instances, and is the input itself exactly when nothing needed interning.
   */
  @Test
  void everyMixOfInternedAndFreshStringsComesBackEqualAndInterned() {
    Interner in = new Interner();
    String[] canon = new String[12];
    for (int i = 0; i < canon.length; i++) {
      canon[i] = in.intern((i % 2 == 0 ? "name" : "value") + (char) ('a' + i / 2));
    }
    Random r = new Random(5);
    for (int round = 0; round < 2_000; round++) {
      int labels = 1 + r.nextInt(canon.length / 2);
      String[] pairs = new String[2 * labels];
      boolean fresh = false;
      for (int k = 0; k < pairs.length; k++) {
        boolean copy = r.nextInt(4) == 0;
        fresh |= copy;
        pairs[k] = copy ? new String(canon[k]) : canon[k];
      }
      Labels l = Labels.of(pairs);

      Labels interned = in.intern(l);

      assertThat(interned).isEqualTo(l);
      for (int i = 0; i < labels; i++) {
        assertThat(interned.name(i)).isSameAs(canon[2 * i]);
        assertThat(interned.value(i)).isSameAs(canon[2 * i + 1]);
      }
      assertThat(interned == l).as("kept as it is").isEqualTo(!fresh);
    }
  }
}
