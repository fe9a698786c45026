package dev.vigil.model.storage;

import dev.vigil.model.labels.Labels;

/** One series of a {@link SeriesSet}: its labels and its samples. */
public interface Series {
  Labels labels();

  /**
   * A fresh iterator over the samples, positioned before the first. Implementations may reuse
   * {@code reuse} (which may be null) to avoid allocation.
   */
  SampleIterator iterator(SampleIterator reuse);
}
