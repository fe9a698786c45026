package dev.vigil.collector.scrape;

import dev.vigil.collector.exposition.ExpositionParser;
import dev.vigil.model.metadata.Metadata;
import dev.vigil.model.metadata.MetricType;
import dev.vigil.protocol.remote.MetricMetadata;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One target's metric metadata as its scrapes state it ({@code # TYPE}, {@code # HELP},
 * {@code # UNIT}, or the protobuf family fields), per family name, like the metadata half of
 * Prometheus's {@code scrapeCache}: it serves {@code /api/v1/targets/metadata} and tells the scrape
 * loop when a family is new or changed, so that {@code Appender.updateMetadata} runs for new series
 * and changed families only, not on every scrape.
 *
 * <p>Keyed by the family name's bytes as written (the parser's hash and byte comparison), and
 * help texts are compared as written too, so a steady target's scrape allocates nothing here.
 * Families not stated for {@link #KEEP_SCRAPES} successful scrapes are forgotten, as in Prometheus.
 *
 * <p>Written by the one thread scraping the target; {@link #list()} may be called from any thread
 * and reads the snapshot published at the end of the latest scrape.
 */
final class MetadataCache {
  /** Prometheus keeps a family's metadata this many successful scrapes after it disappeared. */
  static final int KEEP_SCRAPES = 10;

  /** One family's metadata and when the scrape loop saw and changed it. */
  static final class Family {
    final byte[] key;
    final String name;
    MetricType type = MetricType.UNKNOWN;
    String help = "";
    byte[] helpAsWritten;
    String unit = "";
    Metadata metadata = Metadata.UNKNOWN;
    // What the latest published list says about this family; null until published.
    MetricMetadata published;
    // The family whose metadata followed this one's in the latest scrape: a steady target states
    // its families in the same order, so most lookups are one byte comparison, no hashing.
    Family next;
    long lastIter;
    long lastIterChange;

    Family(byte[] key, String name) {
      this.key = key;
      this.name = name;
    }

    /** The metadata to store with the family's series. */
    Metadata metadata() {
      return metadata;
    }

    String name() {
      return name;
    }
  }

  private long[] hashes = new long[32];
  private Family[] slots = new Family[32];
  private int size;
  private long iter;
  private boolean dirty;
  private int publishedSize;
  // The family of the latest metadata entry (HELP and TYPE of one family come together).
  private Family cursor;
  private volatile List<MetricMetadata> published = List.of();

  /** Successful scrapes so far: a family whose {@code lastIterChange} equals it changed in this one. */
  long iter() {
    return iter;
  }

  /**
   * The metadata entry ({@code e}: TYPE, HELP or UNIT) the parser is at; returns its family, or
   * null for another entry (a comment).
   */
  Family update(dev.vigil.collector.exposition.Entry e, ExpositionParser p) {
    return switch (e) {
      case TYPE -> setType(p);
      case HELP -> setHelp(p);
      case UNIT -> setUnit(p);
      default -> null;
    };
  }

  /** The {@code # TYPE} entry the parser is at; returns its family. */
  Family setType(ExpositionParser p) {
    Family f = family(p);
    MetricType t = p.type();
    if (f.type != t) {
      f.type = t;
      changed(f);
    }
    return f;
  }

  /** The {@code # HELP} entry the parser is at; returns its family. */
  Family setHelp(ExpositionParser p) {
    Family f = family(p);
    if (f.helpAsWritten == null || !p.helpEquals(f.helpAsWritten)) {
      f.helpAsWritten = p.helpBytes();
      String help = p.help();
      if (!help.equals(f.help)) {
        f.help = help;
        changed(f);
      }
    }
    return f;
  }

  /** The {@code # UNIT} entry the parser is at; returns its family. */
  Family setUnit(ExpositionParser p) {
    Family f = family(p);
    String unit = p.unit();
    if (!unit.equals(f.unit)) {
      f.unit = unit;
      changed(f);
    }
    return f;
  }

  private void changed(Family f) {
    f.lastIterChange = iter;
    f.metadata = new Metadata(f.type, f.help, f.unit);
    dirty = true;
  }

  private Family family(ExpositionParser p) {
    Family c = cursor;
    if (c != null) {
      if (p.familyNameEquals(c.key)) {
        c.lastIter = iter;
        return c;
      }
      Family n = c.next;
      if (n != null && p.familyNameEquals(n.key)) {
        n.lastIter = iter;
        cursor = n;
        return n;
      }
    }
    Family f = lookup(p);
    if (c != null) {
      c.next = f;
    }
    cursor = f;
    return f;
  }

  private Family lookup(ExpositionParser p) {
    long h = p.familyNameHash();
    int mask = slots.length - 1;
    int i = (int) mix(h) & mask;
    for (; slots[i] != null; i = (i + 1) & mask) {
      if (hashes[i] == h && p.familyNameEquals(slots[i].key)) {
        slots[i].lastIter = iter;
        return slots[i];
      }
    }
    // Prometheus's metaEntry starts as "unknown" with no help or unit.
    Family f = new Family(p.familyNameBytes(), p.metricFamily());
    f.lastIter = iter;
    f.lastIterChange = iter;
    dirty = true;
    if ((size + 1) * 2 > slots.length) {
      rehash(slots.length * 2);
      insert(h, f);
    } else {
      hashes[i] = h;
      slots[i] = f;
    }
    size++;
    return f;
  }

  /**
   * Ends a successful scrape: forgets families unseen for more than {@link #KEEP_SCRAPES} scrapes
   * and publishes the list for readers if anything changed. (A failed scrape does not count, as
   * in Prometheus: what it changed is reported again with the next successful one.)
   */
  void iterDone() {
    int live = 0;
    for (Family f : slots) {
      if (f != null && iter - f.lastIter <= KEEP_SCRAPES) {
        live++;
      }
    }
    if (live != size) {
      // Order hints may point at families about to go.
      cursor = null;
      for (Family f : slots) {
        if (f != null) {
          f.next = null;
        }
      }
      Family[] old = slots;
      long[] oldHashes = hashes;
      int cap = 32;
      while (live * 2 >= cap) {
        cap <<= 1;
      }
      slots = new Family[cap];
      hashes = new long[cap];
      size = 0;
      for (int i = 0; i < old.length; i++) {
        if (old[i] != null && iter - old[i].lastIter <= KEEP_SCRAPES) {
          insert(oldHashes[i], old[i]);
          size++;
        }
      }
      dirty = true;
    }
    publishIfDirty();
    iter++;
  }

  /** Publishes what a failed scrape added or changed, without counting it as a scrape. */
  void publishIfDirty() {
    if (!dirty) {
      return;
    }
    dirty = false;
    if (!differsFromPublished()) {
      // A family stated twice per scrape with different metadata (a gauge "x" next to a
      // counter "x_total" in OpenMetrics) flips back and forth but ends each scrape the same.
      return;
    }
    List<MetricMetadata> out = new ArrayList<>(size);
    for (Family f : slots) {
      if (f != null) {
        f.published = new MetricMetadata(f.name, f.type, f.help, f.unit);
        out.add(f.published);
      }
    }
    out.sort(Comparator.comparing(MetricMetadata::family));
    published = List.copyOf(out);
    publishedSize = size;
  }

  private boolean differsFromPublished() {
    if (size != publishedSize) {
      return true;
    }
    for (Family f : slots) {
      if (f != null && (f.published == null || f.published.type() != f.type
          || !f.published.help().equals(f.help) || !f.published.unit().equals(f.unit))) {
        return true;
      }
    }
    return false;
  }

  /** Every family's metadata as of the latest scrape, sorted by family name. */
  List<MetricMetadata> list() {
    return published;
  }

  private void rehash(int cap) {
    Family[] old = slots;
    long[] oldHashes = hashes;
    slots = new Family[cap];
    hashes = new long[cap];
    for (int i = 0; i < old.length; i++) {
      if (old[i] != null) {
        insert(oldHashes[i], old[i]);
      }
    }
  }

  private void insert(long h, Family f) {
    int mask = slots.length - 1;
    int i = (int) mix(h) & mask;
    while (slots[i] != null) {
      i = (i + 1) & mask;
    }
    hashes[i] = h;
    slots[i] = f;
  }

  private static long mix(long h) {
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    return h ^ (h >>> 33);
  }

  /**
   * Prometheus's {@code isSeriesPartOfFamily}: whether a series named {@code metric} (after
   * relabelling) belongs to the family {@code family} of type {@code type}, allowing the
   * suffixes the type implies ({@code _total}, {@code _bucket}/{@code _sum}/{@code _count},
   * {@code _gsum}/{@code _gcount}, {@code _info}). Guards against metadata lines that do not
   * belong to the samples after them (optional TYPE lines, relabelled names).
   */
  static boolean partOfFamily(String metric, String family, MetricType type) {
    if (!metric.startsWith(family)) {
      return false;
    }
    String got = metric;
    String mf = family;
    switch (type) {
      case COUNTER -> {
        mf = cut(mf, "_total");
        got = cut(metric, "_total");
      }
      case HISTOGRAM -> got = cutAny(metric, "_bucket", "_sum", "_count");
      case GAUGEHISTOGRAM -> got = cutAny(metric, "_bucket", "_gsum", "_gcount");
      case SUMMARY -> got = cutAny(metric, "_sum", "_count");
      case INFO -> {
        mf = cut(mf, "_info");
        got = cut(metric, "_info");
      }
      default -> {
        // The name itself.
      }
    }
    return mf.equals(got);
  }

  private static String cut(String s, String suffix) {
    return s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s;
  }

  private static String cutAny(String s, String... suffixes) {
    for (String suffix : suffixes) {
      if (s.endsWith(suffix)) {
        return s.substring(0, s.length() - suffix.length());
      }
    }
    return s;
  }
}
