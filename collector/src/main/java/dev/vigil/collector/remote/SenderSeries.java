package dev.vigil.collector.remote;

import dev.vigil.model.exemplar.Exemplar;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.metadata.Metadata;

/**
 * One series of the sender's WAL. {@code ref} is stable for the life of the series in the log.
 * The mutable fields are guarded by the WAL's commit lock, except {@code maxT}, which appenders
 * read without it to refuse out-of-order samples early.
 */
final class SenderSeries {
  final long ref;
  final Labels labels;
  /** A series record for this ref is in the log (in a segment or the checkpoint). */
  boolean logged;
  /** Dropped from the series table by a truncation; a commit that still uses it logs it again. */
  boolean dead;
  /** Segment of the last commit holding this series (its series record or samples). */
  int lastSegment;
  /** Highest committed timestamp. */
  volatile long maxT = Long.MIN_VALUE;
  /** The metadata last logged for the series (kept in checkpoints), or null. */
  Metadata metadata;
  /** The newest exemplar appended, to drop exact repeats as Prometheus does; guarded by itself. */
  Exemplar lastExemplar;

  SenderSeries(long ref, Labels labels) {
    this.ref = ref;
    this.labels = labels;
  }
}
