package dev.vigil.server.metadata;

import dev.vigil.protocol.remote.MetricMetadata;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One tenant's metric metadata: per family the distinct type/help/unit combinations last sent
 * within the retention period, in the order first seen. Thread-safe: the family map is
 * concurrent, each family's list is guarded by the family.
 */
public final class MetadataStore {
  private final MetadataOptions options;
  private final ConcurrentHashMap<String, Family> families = new ConcurrentHashMap<>();
  private volatile long nextPurge;

  /**
   * What {@link #add} did with a batch: entries stored, and dropped per Mimir's
   * {@code cortex_discarded_metadata_total} reason.
   */
  public record Added(int stored, int missingMetricName, int metricNameTooLong, int unitTooLong,
      int perUserLimit, int perMetricLimit) {
    public static final Added NOTHING = new Added(0, 0, 0, 0, 0, 0);

    public int dropped() {
      return missingMetricName + metricNameTooLong + unitTooLong + perUserLimit + perMetricLimit;
    }
  }

  private static final class Family {
    final List<MetricMetadata> entries = new ArrayList<>(2);
    final List<long[]> seen = new ArrayList<>(2); // parallel to entries: {millis}
  }

  MetadataStore(MetadataOptions options) {
    this.options = options;
  }

  /**
   * Records {@code batch} as seen at {@code now}. Entries with an empty, too long family name or
   * a too long unit, new families beyond the tenant's bound and new combinations beyond the
   * family's bound are dropped; too long help is cut to the limit on a character boundary.
   */
  public Added add(List<MetricMetadata> batch, long now) {
    purgeIfDue(now);
    int stored = 0;
    int missingName = 0;
    int nameTooLong = 0;
    int unitTooLong = 0;
    int perUser = 0;
    int perMetric = 0;
    for (int i = 0; i < batch.size(); i++) {
      MetricMetadata m = batch.get(i);
      if (m.family().isEmpty()) {
        missingName++;
        continue;
      }
      if (utf8Length(m.family()) > options.maxLength()) {
        nameTooLong++;
        continue;
      }
      if (utf8Length(m.unit()) > options.maxLength()) {
        unitTooLong++;
        continue;
      }
      if (utf8Length(m.help()) > options.maxLength()) {
        m = new MetricMetadata(m.family(), m.type(), truncate(m.help(), options.maxLength()),
            m.unit());
      }
      Family f = families.get(m.family());
      if (f == null) {
        if (families.size() >= options.maxFamiliesPerTenant()) {
          perUser++;
          continue;
        }
        f = families.computeIfAbsent(m.family(), k -> new Family());
      }
      if (put(f, m, now)) {
        stored++;
      } else {
        perMetric++;
      }
    }
    return new Added(stored, missingName, nameTooLong, unitTooLong, perUser, perMetric);
  }

  private boolean put(Family f, MetricMetadata m, long now) {
    synchronized (f) {
      for (int i = 0; i < f.entries.size(); i++) {
        if (f.entries.get(i).equals(m)) {
          f.seen.get(i)[0] = now;
          return true;
        }
      }
      if (f.entries.size() >= options.maxPerFamily()) {
        return false;
      }
      f.entries.add(m);
      f.seen.add(new long[] {now});
      return true;
    }
  }

  /**
   * The metadata seen within the retention period, by family name (sorted, as Prometheus's JSON
   * map prints), only {@code metric}'s when it is not empty.
   */
  public TreeMap<String, List<MetricMetadata>> snapshot(String metric, long now) {
    long oldest = now - options.retain().toMillis();
    TreeMap<String, List<MetricMetadata>> out = new TreeMap<>();
    if (!metric.isEmpty()) {
      Family f = families.get(metric);
      if (f != null) {
        collect(metric, f, oldest, out);
      }
      return out;
    }
    for (Map.Entry<String, Family> e : families.entrySet()) {
      collect(e.getKey(), e.getValue(), oldest, out);
    }
    return out;
  }

  private static void collect(String name, Family f, long oldest,
      TreeMap<String, List<MetricMetadata>> out) {
    List<MetricMetadata> live = new ArrayList<>(2);
    synchronized (f) {
      for (int i = 0; i < f.entries.size(); i++) {
        if (f.seen.get(i)[0] >= oldest) {
          live.add(f.entries.get(i));
        }
      }
    }
    if (!live.isEmpty()) {
      out.put(name, live);
    }
  }

  /** Number of families held (expired ones until the next purge included). */
  public int families() {
    return families.size();
  }

  /** Forgets entries not seen within the retention period; runs at most once a minute. */
  private void purgeIfDue(long now) {
    if (now < nextPurge) {
      return;
    }
    nextPurge = now + 60_000;
    purge(now);
  }

  void purge(long now) {
    long oldest = now - options.retain().toMillis();
    for (Map.Entry<String, Family> e : families.entrySet()) {
      Family f = e.getValue();
      synchronized (f) {
        for (int i = f.entries.size() - 1; i >= 0; i--) {
          if (f.seen.get(i)[0] < oldest) {
            f.entries.remove(i);
            f.seen.remove(i);
          }
        }
        if (f.entries.isEmpty()) {
          // A writer holding f may still add to it after this; it then lives on unreachable
          // and the entry is lost until re-sent (at most one send interval), which is cheaper
          // than a lock around every family lookup.
          families.remove(e.getKey(), f);
        }
      }
    }
  }

  private static int utf8Length(String s) {
    int n = s.length();
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 0x80) {
        return s.getBytes(StandardCharsets.UTF_8).length;
      }
    }
    return n;
  }

  /** The longest prefix of {@code s} of at most {@code max} UTF-8 bytes, whole characters only. */
  static String truncate(String s, int max) {
    int bytes = 0;
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (bytes + len > max) {
        break;
      }
      bytes += len;
      i += Character.charCount(cp);
    }
    return s.substring(0, i);
  }
}
