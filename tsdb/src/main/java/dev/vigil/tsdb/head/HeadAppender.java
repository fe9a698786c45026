package dev.vigil.tsdb.head;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.StorageException;

/**
 * The head's {@link Appender}: a thin handle on a pooled {@link AppendBatch}. After commit or
 * rollback the handle lets go of the batch (which the pool may hand to another appender), so a
 * stale handle fails instead of writing into someone else's batch. Not thread-safe.
 */
final class HeadAppender implements Appender {
  private final Head head;
  private AppendBatch batch;

  HeadAppender(Head head) {
    this.head = head;
    this.batch = head.borrowBatch();
  }

  private AppendBatch live() {
    AppendBatch b = batch;
    if (b == null) {
      throw new IllegalStateException("appender already committed or rolled back");
    }
    return b;
  }

  @Override
  public long append(long ref, Labels labels, long t, double v) {
    return live().add(ref, labels, t, v, null);
  }

  @Override
  public long appendHistogram(long ref, Labels labels, long t, FloatHistogram h) {
    if (h == null) {
      throw new StorageException("null histogram for " + labels);
    }
    return live().add(ref, labels, t, 0, h);
  }

  @Override
  public long appendWithStart(long ref, Labels labels, long st, long t, double v) {
    return live().addWithStart(ref, labels, st, t, v, null);
  }

  @Override
  public long appendHistogramWithStart(long ref, Labels labels, long st, long t,
      FloatHistogram h) {
    if (h == null) {
      throw new StorageException("null histogram for " + labels);
    }
    return live().addWithStart(ref, labels, st, t, 0, h);
  }

  @Override
  public long appendExemplar(long ref, Labels labels, dev.vigil.model.exemplar.Exemplar e) {
    return live().addExemplar(ref, labels, e);
  }

  @Override
  public long updateMetadata(long ref, Labels labels, dev.vigil.model.metadata.Metadata m) {
    return live().updateMetadata(ref, labels, m);
  }

  @Override
  public void commit() {
    AppendBatch b = live();
    batch = null;
    try {
      if (b.sampleCount() > 0 || b.hasExtras()) {
        head.commit(b);
      }
    } finally {
      head.returnBatch(b);
    }
  }

  @Override
  public void rollback() {
    AppendBatch b = batch;
    if (b != null) {
      batch = null;
      head.returnBatch(b);
    }
  }
}
