package dev.vigil.collector.manager;

import dev.vigil.model.labels.Matcher;
import dev.vigil.model.storage.Querier;
import dev.vigil.model.storage.SampleIterator;
import dev.vigil.model.storage.SelectHints;
import dev.vigil.model.storage.SeriesSet;
import dev.vigil.model.storage.ValueKind;
import dev.vigil.model.storage.memory.InMemoryStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Reads what a test's in-memory store holds, and waits for it. */
final class StoredSamples {
  private StoredSamples() {}

  /** All values of the series matching {@code name} and the label pairs, oldest first. */
  static List<Double> values(InMemoryStorage storage, String name, String... pairs) {
    List<Double> out = new ArrayList<>();
    List<Matcher> ms = new ArrayList<>(List.of(Matcher.equal("__name__", name)));
    for (int i = 0; i < pairs.length; i += 2) {
      ms.add(Matcher.equal(pairs[i], pairs[i + 1]));
    }
    try (Querier q = storage.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet ss = q.select(false, SelectHints.range(Long.MIN_VALUE, Long.MAX_VALUE), ms);
      while (ss.next()) {
        SampleIterator it = ss.at().iterator(null);
        while (it.next() != ValueKind.NONE) {
          out.add(it.atF());
        }
      }
    }
    return out;
  }

  /** One stored float sample. */
  record Sample(long t, double v) {}

  /** All samples of the one series matching {@code name} and the label pairs, oldest first. */
  static List<Sample> samples(InMemoryStorage storage, String name, String... pairs) {
    List<Sample> out = new ArrayList<>();
    List<Matcher> ms = new ArrayList<>(List.of(Matcher.equal("__name__", name)));
    for (int i = 0; i < pairs.length; i += 2) {
      ms.add(Matcher.equal(pairs[i], pairs[i + 1]));
    }
    try (Querier q = storage.querier(Long.MIN_VALUE, Long.MAX_VALUE)) {
      SeriesSet ss = q.select(false, SelectHints.range(Long.MIN_VALUE, Long.MAX_VALUE), ms);
      int series = 0;
      while (ss.next()) {
        if (++series > 1) {
          throw new AssertionError("more than one series matches " + ms);
        }
        SampleIterator it = ss.at().iterator(null);
        while (it.next() != ValueKind.NONE) {
          out.add(new Sample(it.atT(), it.atF()));
        }
      }
    }
    return out;
  }

  static void waitFor(String what, BooleanSupplier cond) throws InterruptedException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!cond.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 10 s: " + what);
      }
      Thread.sleep(20);
    }
  }
}
