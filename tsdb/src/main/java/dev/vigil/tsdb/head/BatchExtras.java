package dev.vigil.tsdb.head;

import dev.vigil.model.exemplar.Exemplar;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.metadata.Metadata;
import dev.vigil.model.storage.StorageException;
import dev.vigil.tsdb.exemplar.CircularExemplarStorage;
import dev.vigil.tsdb.exemplar.CircularExemplarStorage.Verdict;
import java.util.Arrays;

/**
 * The exemplars and metadata of one {@link AppendBatch}, kept apart from its samples so that a
 * batch without them carries one null field and nothing more. Validated at append as
 * Prometheus's head appender does (series must exist; label set length; order against the
 * series' newest exemplar, in the ring or earlier in this batch), logged after the samples and
 * applied after them at commit. Reusable after {@link #reset}.
 */
final class BatchExtras {
  private MemSeries[] exSeries = new MemSeries[16];
  private long[] exT = new long[16];
  private double[] exV = new double[16];
  private Labels[] exL = new Labels[16];
  private int nEx;
  /** Per series id, the index of its last exemplar in this batch (+0: ids are never 0). */
  private final SeriesIndexMap lastEx = new SeriesIndexMap();

  private MemSeries[] mdSeries = new MemSeries[16];
  private Metadata[] md = new Metadata[16];
  /** At commit: whether metadata {@code i} differs from the series' current one (logged). */
  private boolean[] mdChanged = new boolean[16];
  private int nMd;
  private final SeriesIndexMap lastMd = new SeriesIndexMap();

  boolean isEmpty() {
    return nEx == 0 && nMd == 0;
  }

  long addExemplar(Head head, MemSeries s, Exemplar e) {
    CircularExemplarStorage ring = head.exemplars();
    if (ring.capacity() == 0) {
      return s.id; // storage disabled: dropped, as Prometheus with max_exemplars 0
    }
    Labels l = e.labels();
    if (CircularExemplarStorage.labelsTooLong(l)) {
      throw new StorageException("label length for exemplar exceeds maximum of "
          + Exemplar.MAX_LABELS_RUNES + " UTF-8 characters: exemplar " + l + " of series "
          + s.labels);
    }
    int prev = lastEx.get(s.id, -1);
    Verdict v = prev >= 0
        ? CircularExemplarStorage.compare(exT[prev], exV[prev], exL[prev], e.timestamp(),
            e.value(), l)
        : ring.check(s.id, e.timestamp(), e.value(), l);
    if (v == Verdict.DUPLICATE || v == Verdict.DISABLED) {
      return s.id;
    }
    if (v == Verdict.OUT_OF_ORDER) {
      throw new StorageException("out of order exemplar: timestamp " + e.timestamp()
          + " is before the newest exemplar of series " + s.labels);
    }
    if (nEx == exT.length) {
      int n = nEx * 2;
      exSeries = Arrays.copyOf(exSeries, n);
      exT = Arrays.copyOf(exT, n);
      exV = Arrays.copyOf(exV, n);
      exL = Arrays.copyOf(exL, n);
    }
    exSeries[nEx] = s;
    exT[nEx] = e.timestamp();
    exV[nEx] = e.value();
    exL[nEx] = l;
    lastEx.put(s.id, nEx);
    nEx++;
    return s.id;
  }

  long updateMetadata(Head head, MemSeries s, Metadata m) {
    int prev = lastMd.get(s.id, -1);
    if (prev >= 0) {
      md[prev] = m; // the batch's latest wins
      return s.id;
    }
    if (m.equals(head.metadataOf(s.id))) {
      return s.id; // unchanged: nothing to log
    }
    if (nMd == md.length) {
      int n = nMd * 2;
      mdSeries = Arrays.copyOf(mdSeries, n);
      md = Arrays.copyOf(md, n);
      mdChanged = Arrays.copyOf(mdChanged, n);
    }
    mdSeries[nMd] = s;
    md[nMd] = m;
    lastMd.put(s.id, nMd);
    nMd++;
    return s.id;
  }

  /**
   * Under the commit lock, before logging: series garbage-collected since the append are
   * re-created (as for samples), series never logged get a series record, unchanged metadata
   * is left out.
   */
  void validateAtCommit(Head head, AppendBatch batch, Head.SeriesCapture<?> capture) {
    for (int i = 0; i < nEx; i++) {
      exSeries[i] = live(head, batch, exSeries[i], capture);
    }
    for (int i = 0; i < nMd; i++) {
      MemSeries s = live(head, batch, mdSeries[i], capture);
      mdSeries[i] = s;
      mdChanged[i] = !md[i].equals(head.metadataOf(s.id));
    }
  }

  private static MemSeries live(Head head, AppendBatch batch, MemSeries s,
      Head.SeriesCapture<?> capture) {
    if (s.removed) {
      s = head.getOrCreate(s.labels);
    }
    if (capture != null) {
      capture.beforeChange(s);
    }
    if (!s.logged) {
      batch.logSeries(s);
    }
    return s;
  }

  /** Under the commit lock, after logging: exemplars to the ring, metadata to the table. */
  void apply(Head head) {
    CircularExemplarStorage ring = head.exemplars();
    for (int i = 0; i < nEx; i++) {
      // A concurrent commit may have stored a newer exemplar meanwhile: the ring drops this
      // one as Prometheus does at commit (replay of the log drops it the same way).
      ring.add(exSeries[i].id, exT[i], exV[i], exL[i]);
    }
    for (int i = 0; i < nMd; i++) {
      if (mdChanged[i]) {
        head.setMetadata(mdSeries[i].id, md[i]);
      }
    }
  }

  void reset() {
    Arrays.fill(exSeries, 0, nEx, null);
    Arrays.fill(exL, 0, nEx, null);
    nEx = 0;
    lastEx.clear();
    Arrays.fill(mdSeries, 0, nMd, null);
    Arrays.fill(md, 0, nMd, null);
    nMd = 0;
    lastMd.clear();
  }

  int exemplarCount() {
    return nEx;
  }

  long exemplarRef(int i) {
    return exSeries[i].id;
  }

  long exemplarT(int i) {
    return exT[i];
  }

  double exemplarV(int i) {
    return exV[i];
  }

  Labels exemplarLabels(int i) {
    return exL[i];
  }

  int metadataCount() {
    return nMd;
  }

  long metadataRef(int i) {
    return mdSeries[i].id;
  }

  /** Metadata {@code i}, or null when it equals the series' current one (not to be logged). */
  Metadata metadata(int i) {
    return mdChanged[i] ? md[i] : null;
  }
}
