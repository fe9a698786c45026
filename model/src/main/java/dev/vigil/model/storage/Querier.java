package dev.vigil.model.storage;

import dev.vigil.model.labels.Matcher;
import java.util.List;

/** Reads series of one time range. Close it when done; not thread-safe. */
public interface Querier extends AutoCloseable {
  /**
   * Series whose labels satisfy every matcher, restricted to the querier's time range (and the
   * hints' range, if storage can use it). Sorted by labels when {@code sorted}.
   */
  SeriesSet select(boolean sorted, SelectHints hints, List<Matcher> matchers);

  /** Sorted distinct values of {@code name} among series matching {@code matchers}. */
  List<String> labelValues(String name, List<Matcher> matchers);

  /** Sorted distinct label names among series matching {@code matchers}. */
  List<String> labelNames(List<Matcher> matchers);

  @Override
  void close();
}
