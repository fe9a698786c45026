package dev.vigil.tsdb.head;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;

/**
 * What one commit makes durable, as seen by a {@link CommitLog}: series not yet logged (always
 * before samples that use them), then the accepted samples in append order. A view valid only
 * during {@link CommitLog#write}.
 */
public interface CommitBatch {
  int seriesCount();

  long seriesRef(int i);

  Labels seriesLabels(int i);

  /** Number of samples, accepted or not; skip those where {@link #accepted} is false. */
  int sampleCount();

  boolean accepted(int i);

  long ref(int i);

  long t(int i);

  /** Value of a float sample; undefined for histograms. */
  double v(int i);

  /** The histogram of a histogram sample, null for a float sample. */
  FloatHistogram histogram(int i);
}
