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

  /**
   * State a commit log keeps per series, held in the series (which the commit has in cache
   * anyway) rather than in a table of the log's: the log's generation when it last set it, and
   * 64 bits of its own (the WAL: the series' previous value in its float-samples value chain).
   * Generation 0 means never set; a log numbers its generations from 1, and a head has one log
   * for its lifetime. A batch without such state returns 0, and the log then does without.
   */
  default long logStateGeneration(int i) {
    return 0;
  }

  /** The bits set with {@link #setLogState} for sample {@code i}'s series. */
  default long logStateBits(int i) {
    return 0;
  }

  /** Sets the log's state of sample {@code i}'s series (seen by its later samples in the batch). */
  default void setLogState(int i, long generation, long bits) {}

  /** Exemplars of the batch, logged after the samples (their series are logged before). */
  default int exemplarCount() {
    return 0;
  }

  default long exemplarRef(int i) {
    throw new IndexOutOfBoundsException(i);
  }

  default long exemplarT(int i) {
    throw new IndexOutOfBoundsException(i);
  }

  default double exemplarV(int i) {
    throw new IndexOutOfBoundsException(i);
  }

  default Labels exemplarLabels(int i) {
    throw new IndexOutOfBoundsException(i);
  }

  /** Metadata updates of the batch; {@link #metadata} is null for one that changes nothing. */
  default int metadataCount() {
    return 0;
  }

  default long metadataRef(int i) {
    throw new IndexOutOfBoundsException(i);
  }

  default dev.vigil.model.metadata.Metadata metadata(int i) {
    throw new IndexOutOfBoundsException(i);
  }
}
