package dev.vigil.protocol.remote;

import dev.vigil.model.exemplar.Exemplar;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.StorageException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An appender that records samples' series, exemplars and metadata as text, and refuses them as a
 * store does: of a series no sample created ("unknown series") or with a negative timestamp
 * (standing in for "out of order").
 */
public final class RecordingAppender implements Appender {
  public final List<String> exemplars = new ArrayList<>();
  public final List<String> metadata = new ArrayList<>();
  private final Set<Labels> series = new HashSet<>();

  @Override
  public long append(long ref, Labels labels, long t, double v) {
    series.add(labels);
    return 1;
  }

  @Override
  public long appendHistogram(long ref, Labels labels, long t, FloatHistogram h) {
    series.add(labels);
    return 1;
  }

  @Override
  public long appendExemplar(long ref, Labels labels, Exemplar e) {
    if (!series.contains(labels)) {
      throw new StorageException("unknown series " + labels);
    }
    if (e.timestamp() < 0) {
      throw new StorageException("out of order exemplar");
    }
    exemplars.add(labels + " " + e.labels() + " " + e.value() + " @" + e.timestamp());
    return 1;
  }

  @Override
  public long updateMetadata(long ref, Labels labels, dev.vigil.model.metadata.Metadata m) {
    if (!series.contains(labels)) {
      throw new StorageException("unknown series " + labels);
    }
    metadata.add(labels + " " + m.type().promName() + " " + m.help() + " " + m.unit());
    return 1;
  }

  @Override
  public void commit() {}

  @Override
  public void rollback() {}
}
