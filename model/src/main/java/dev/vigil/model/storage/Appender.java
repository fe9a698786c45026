package dev.vigil.model.storage;

import dev.vigil.model.exemplar.Exemplar;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.metadata.Metadata;

/**
 * A batch of appends that becomes visible (and durable, for a durable store) at {@link #commit()}
 * or is discarded by {@link #rollback()}. One appender serves one batch; not thread-safe.
 */
public interface Appender {
  /**
   * Appends a float sample. {@code ref} is a series reference returned by an earlier append to
   * this store (0 if unknown) and lets the store skip the label lookup.
   *
   * @return the series reference, to be passed to later appends of the same series
   * @throws StorageException when the sample is rejected (out of order, duplicate, limits)
   */
  long append(long ref, Labels labels, long t, double v);

  /** Appends a native histogram sample; see {@link #append}. */
  long appendHistogram(long ref, Labels labels, long t, FloatHistogram h);

  /**
   * Appends a float sample with its start timestamp {@code st} (0 = unknown). Stores that keep
   * no start timestamps inherit this default, which drops {@code st}. A separate name (not an
   * overload of {@link #append}) so that {@code st} and {@code t} cannot be swapped silently.
   */
  default long appendWithStart(long ref, Labels labels, long st, long t, double v) {
    return append(ref, labels, t, v);
  }

  /** Appends a native histogram sample with its start timestamp; see {@link #appendWithStart}. */
  default long appendHistogramWithStart(
      long ref, Labels labels, long st, long t, FloatHistogram h) {
    return appendHistogram(ref, labels, t, h);
  }

  /**
   * Attaches an exemplar to a series, made durable and visible with the batch's samples. As
   * Prometheus: an exact repeat of the series's newest exemplar is dropped silently; an older
   * timestamp or a label set over {@link Exemplar#MAX_LABELS_RUNES} throws. Stores that keep no
   * exemplars inherit this default, which drops it.
   *
   * @return the series reference (see {@link #append})
   * @throws StorageException when the exemplar is rejected
   */
  default long appendExemplar(long ref, Labels labels, Exemplar exemplar) {
    return ref;
  }

  /**
   * Records the metadata (type, help, unit) of a series's metric family, made durable with the
   * batch. Stores that keep no metadata inherit this default, which drops it.
   *
   * @return the series reference (see {@link #append})
   */
  default long updateMetadata(long ref, Labels labels, Metadata metadata) {
    return ref;
  }

  void commit();

  void rollback();
}
