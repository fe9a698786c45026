package dev.vigil.collector.scrape;

import dev.vigil.model.exemplar.Exemplar;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.metadata.Metadata;
import dev.vigil.model.storage.Appendable;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.StorageException;
import dev.vigil.model.storage.memory.InMemoryStorage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * An in-memory store that also records the exemplars and metadata committed to it, per commit,
 * and refuses exemplars a test picks (as a real store refuses out-of-order ones).
 */
final class RecordingStorage implements Appendable {
  record StoredExemplar(Labels series, Exemplar exemplar) {}

  record StoredMetadata(Labels series, Metadata metadata) {}

  final InMemoryStorage samples = new InMemoryStorage();
  final List<StoredExemplar> exemplars = new ArrayList<>();
  final List<StoredMetadata> metadata = new ArrayList<>();
  volatile Predicate<Exemplar> refuse = x -> false;

  /** The metadata calls of the latest commit that had any samples. */
  List<StoredMetadata> lastMetadata = List.of();
  List<StoredExemplar> lastExemplars = List.of();

  @Override
  public Appender appender() {
    Appender inner = samples.appender();
    List<StoredExemplar> ex = new ArrayList<>();
    List<StoredMetadata> md = new ArrayList<>();
    return new Appender() {
      @Override
      public long append(long ref, Labels labels, long t, double v) {
        return inner.append(ref, labels, t, v);
      }

      @Override
      public long appendHistogram(long ref, Labels labels, long t, FloatHistogram h) {
        return inner.appendHistogram(ref, labels, t, h);
      }

      @Override
      public long appendExemplar(long ref, Labels labels, Exemplar exemplar) {
        if (refuse.test(exemplar)) {
          throw new StorageException("out of order exemplar");
        }
        ex.add(new StoredExemplar(labels, exemplar));
        return ref;
      }

      @Override
      public long updateMetadata(long ref, Labels labels, Metadata m) {
        md.add(new StoredMetadata(labels, m));
        return ref;
      }

      @Override
      public void commit() {
        inner.commit();
        synchronized (RecordingStorage.this) {
          exemplars.addAll(ex);
          metadata.addAll(md);
          lastMetadata = List.copyOf(md);
          lastExemplars = List.copyOf(ex);
        }
      }

      @Override
      public void rollback() {
        inner.rollback();
      }
    };
  }
}
