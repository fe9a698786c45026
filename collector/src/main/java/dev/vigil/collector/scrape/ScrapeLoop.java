package dev.vigil.collector.scrape;

import dev.vigil.collector.config.ScrapeConfig;
import dev.vigil.collector.exposition.Entry;
import dev.vigil.collector.exposition.Exemplar;
import dev.vigil.collector.exposition.ExpositionFormat;
import dev.vigil.collector.exposition.ExpositionParseException;
import dev.vigil.collector.exposition.ExpositionParser;
import dev.vigil.collector.relabel.Relabeler;
import dev.vigil.model.labels.Labels;
import dev.vigil.model.storage.Appendable;
import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.StaleNaN;
import dev.vigil.model.storage.StorageException;
import dev.vigil.protocol.remote.MetricMetadata;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Scrapes one target and appends what it finds, with Prometheus's semantics:
 *
 * <ul>
 *   <li>each sample gets the target's labels ({@code honor_labels} decides conflicts; without it
 *       a clashing scraped label is kept as {@code exported_<name>}), then
 *       {@code metric_relabel_configs};
 *   <li>{@code sample_limit}, {@code label_limit} and the label length limits fail the whole
 *       scrape, which then stores nothing but staleness markers and the report;
 *   <li>every scrape writes {@code up}, {@code scrape_duration_seconds},
 *       {@code scrape_samples_scraped}, {@code scrape_samples_post_metric_relabeling} and
 *       {@code scrape_series_added} at the scrape's start time;
 *   <li>series of the previous scrape that are missing now (all of them after a failed scrape)
 *       get a staleness marker; {@link #stop()} marks every series, report series included.
 *       Series with their own timestamps are exempt unless {@code track_timestamps_staleness}.
 * </ul>
 *
 * <p>Thread-safe: scrapes and {@link #stop()} are serialised on a private lock.
 */
public final class ScrapeLoop {
  private static final System.Logger LOG = System.getLogger(ScrapeLoop.class.getName());

  static final String[] REPORT_NAMES = {
    "up", "scrape_duration_seconds", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling",
    "scrape_series_added"
  };

  private final Object lock = new Object();
  private final Appendable storage;
  private final InstantSource clock;
  private final Labels targetLabels;
  private final Labels[] reportLabels;

  // Guarded by lock; replaced by reconfigure (a reload that keeps this target). Volatile so
  // that target() reads it without waiting for a running scrape.
  private volatile ScrapeTarget target;
  private ScrapeConfig config;
  private HttpScraper scraper;

  // Guarded by lock.
  private Set<Labels> previous = new HashSet<>();
  private SeriesCache cache = new SeriesCache();
  // Kept across reloads: metadata belongs to the target, not to how its series are labelled.
  private final MetadataCache metadata = new MetadataCache();
  private ScrapeResult last;
  private ScheduledFuture<?> schedule;
  private ScheduledExecutorService executor;
  private long offsetSeed;
  private boolean stopped;
  // Set by the pool (target_limit); while non-null every scrape fails with it, without a request.
  private volatile String forcedError;
  private final java.util.concurrent.atomic.LongAdder sampleLimitHits;
  private final java.util.concurrent.atomic.LongAdder exemplarsRejected;

  public ScrapeLoop(ScrapeTarget target, ScrapeConfig config, HttpScraper scraper, Appendable storage,
      InstantSource clock) {
    this(target, config, scraper, storage, clock, new java.util.concurrent.atomic.LongAdder());
  }

  /**
   * @param sampleLimitHits counts scrapes that failed for {@code sample_limit} (shared by a pool's
   *     loops: Prometheus's {@code prometheus_target_scrapes_exceeded_sample_limit_total})
   */
  public ScrapeLoop(ScrapeTarget target, ScrapeConfig config, HttpScraper scraper, Appendable storage,
      InstantSource clock, java.util.concurrent.atomic.LongAdder sampleLimitHits) {
    this(target, config, scraper, storage, clock, sampleLimitHits,
        new java.util.concurrent.atomic.LongAdder());
  }

  /**
   * @param exemplarsRejected counts exemplars the store refused (shared by a pool's loops; they
   *     never fail a scrape: Prometheus's {@code prometheus_target_scrapes_exemplar_out_of_order_total})
   */
  public ScrapeLoop(ScrapeTarget target, ScrapeConfig config, HttpScraper scraper, Appendable storage,
      InstantSource clock, java.util.concurrent.atomic.LongAdder sampleLimitHits,
      java.util.concurrent.atomic.LongAdder exemplarsRejected) {
    this.sampleLimitHits = sampleLimitHits;
    this.exemplarsRejected = exemplarsRejected;
    this.target = target;
    this.config = config;
    this.scraper = scraper;
    this.storage = storage;
    this.clock = clock;
    this.targetLabels = target.labels();
    this.reportLabels = new Labels[REPORT_NAMES.length];
    for (int i = 0; i < REPORT_NAMES.length; i++) {
      reportLabels[i] = reportLabels(Labels.of(Labels.METRIC_NAME, REPORT_NAMES[i]));
    }
  }

  public ScrapeTarget target() {
    return target;
  }

  /**
   * The metric metadata ({@code # TYPE}, {@code # HELP}, {@code # UNIT}) of this target's scrapes
   * per family, sorted by family name, as {@code /api/v1/targets/metadata} lists it. Families
   * unseen for ten successful scrapes are gone. Does not wait for a running scrape.
   */
  public List<MetricMetadata> metadata() {
    return metadata.list();
  }

  /** The metadata of {@code family} from this target's scrapes, or null. */
  public MetricMetadata metadata(String family) {
    for (MetricMetadata m : metadata.list()) {
      if (m.family().equals(family)) {
        return m;
      }
    }
    return null;
  }

  /** The latest result, or null before the first scrape. */
  public ScrapeResult lastResult() {
    synchronized (lock) {
      return last;
    }
  }

  /**
   * Schedules scrapes every interval, starting at Prometheus's per-target offset so that targets
   * spread over the interval and keep their slot across restarts.
   */
  public void start(ScheduledExecutorService executor, long offsetSeed) {
    synchronized (lock) {
      this.executor = executor;
      this.offsetSeed = offsetSeed;
      schedule();
    }
  }

  // Caller holds lock.
  private void schedule() {
    long interval = target.interval().toMillis();
    long now = clock.millis();
    long base = interval - Math.floorMod(now, interval);
    long offset = Long.remainderUnsigned(target.hash() ^ offsetSeed, interval);
    long next = base + offset;
    if (next > interval) {
      next -= interval;
    }
    schedule = executor.scheduleAtFixedRate(this::scrapeQuietly, next, interval, TimeUnit.MILLISECONDS);
  }

  /**
   * Applies a reloaded job configuration to this running target in place, as Prometheus's
   * {@code scrapePool.reload}: the loop keeps its series (so none gets a staleness marker for
   * the reload, and series the new rules drop go stale at the next scrape like any vanished
   * series) and takes the new interval, timeout, limits, relabel rules and HTTP client. The
   * series cache survives unless something that decides a series' final labels changed.
   * Waits for a running scrape. {@code target} must have this loop's labels and URL.
   */
  public void reconfigure(ScrapeTarget target, ScrapeConfig config, HttpScraper scraper) {
    synchronized (lock) {
      if (stopped) {
        return;
      }
      if (!sameSeriesMapping(this.config, config)) {
        cache = new SeriesCache();
      }
      boolean reschedule = !this.target.interval().equals(target.interval());
      this.target = target;
      this.config = config;
      this.scraper = scraper;
      if (reschedule && schedule != null) {
        schedule.cancel(false);
        schedule();
      }
    }
  }

  /** Whether both configurations turn the same scraped text into the same series. */
  private static boolean sameSeriesMapping(ScrapeConfig a, ScrapeConfig b) {
    return a.honorLabels() == b.honorLabels()
        && a.metricRelabelConfigs().equals(b.metricRelabelConfigs())
        && a.labelLimit() == b.labelLimit()
        && a.labelNameLengthLimit() == b.labelNameLengthLimit()
        && a.labelValueLengthLimit() == b.labelValueLengthLimit()
        && a.metricNameValidation() == b.metricNameValidation()
        && a.scrapeNativeHistograms() == b.scrapeNativeHistograms()
        && a.alwaysScrapeClassicHistograms() == b.alwaysScrapeClassicHistograms()
        && a.convertClassicHistogramsToNhcb() == b.convertClassicHistogramsToNhcb();
  }

  /** The job configuration this loop scrapes with now. */
  public ScrapeConfig config() {
    synchronized (lock) {
      return config;
    }
  }

  private void scrapeQuietly() {
    try {
      scrapeOnce();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops scheduling and marks every series of this target stale (the target went away). */
  public void stop() {
    synchronized (lock) {
      if (stopped) {
        return;
      }
      stopped = true;
      if (schedule != null) {
        schedule.cancel(false);
      }
      long ts = clock.millis();
      Appender app = storage.appender();
      for (Labels l : previous) {
        appendQuietly(app, l, ts, StaleNaN.VALUE);
      }
      for (Labels l : reportLabels) {
        appendQuietly(app, l, ts, StaleNaN.VALUE);
      }
      app.commit();
      previous = new HashSet<>();
    }
  }

  /**
   * Makes every following scrape fail with {@code error} (report series only, {@code up} 0) without
   * contacting the target, as Prometheus's {@code setForcedError}; null scrapes again.
   */
  public void setForcedError(String error) {
    forcedError = error;
  }

  /** One scrape, appended and committed. */
  public ScrapeResult scrapeOnce() throws InterruptedException {
    synchronized (lock) {
      if (stopped) {
        return last;
      }
      Instant start = clock.instant();
      long ts = start.toEpochMilli();
      String error = "";
      Stats st = new Stats();
      Set<Labels> seen = new HashSet<>();
      Appender app = storage.appender();
      String forced = forcedError;
      try {
        if (forced != null) {
          error = forced;
        } else {
          ScrapeResponse resp = scraper.scrape();
          append(app, resp, ts, seen, st);
        }
      } catch (ScrapeException e) {
        error = e.getMessage();
      } catch (ExpositionParseException e) {
        // Text errors start with line:column, protobuf ones with a byte offset.
        error = (e.line() > 0 ? "parse error at line " : "parse error at ") + e.getMessage();
      }
      if (error.isEmpty()) {
        cache.sweep();
        metadata.iterDone();
      } else {
        metadata.publishIfDirty();
        // Nothing of a failed scrape is kept; its series all go stale below.
        app.rollback();
        app = storage.appender();
        seen.clear();
      }
      for (Labels l : previous) {
        if (!seen.contains(l)) {
          appendQuietly(app, l, ts, StaleNaN.VALUE);
        }
      }
      previous = seen;
      Duration duration = Duration.between(start, clock.instant());
      double[] values = {
        error.isEmpty() ? 1 : 0, duration.toNanos() / 1e9, st.total, st.added, st.seriesAdded
      };
      for (int i = 0; i < REPORT_NAMES.length; i++) {
        appendQuietly(app, reportLabels[i], ts, values[i]);
      }
      app.commit();
      last = new ScrapeResult(start, duration, error, st.total, st.added, st.seriesAdded, st.rejected);
      return last;
    }
  }

  private static final class Stats {
    int total;
    int added;
    int seriesAdded;
    int rejected;
  }

  private void append(Appender app, ScrapeResponse resp, long ts, Set<Labels> seen, Stats st)
      throws ScrapeException {
    ExpositionParser p = ExpositionParser.create(format(resp.contentType()), resp.body(),
        config.scrapeNativeHistograms(), config.alwaysScrapeClassicHistograms(),
        config.convertClassicHistogramsToNhcb(), storage.ingestsStartTimestamps());
    cache.beginScrape();
    long sampleLimit = config.sampleLimit();
    boolean honorTs = config.honorTimestamps();
    // The family of the latest metadata entry; the series after it usually belong to it.
    MetadataCache.Family lastMeta = null;
    for (Entry e = p.next(); e != Entry.EOF; e = p.next()) {
      if (e != Entry.SERIES && e != Entry.HISTOGRAM) {
        MetadataCache.Family f = metadata.update(e, p);
        if (f != null) {
          lastMeta = f;
        }
        continue;
      }
      st.total++;
      Labels l = cache.get(p);
      boolean newToCache = l == null;
      if (l == null) {
        l = mutate(p.labels());
        if (l == null || l.isEmpty()) {
          cache.put(p, SeriesCache.DROPPED);
          continue;
        }
        // Checked before caching, so a cached series has passed the limits already.
        checkLabelLimits(l);
        cache.put(p, l);
      } else if (l == SeriesCache.DROPPED) {
        continue;
      }
      st.added++;
      if (sampleLimit > 0 && st.added > sampleLimit) {
        sampleLimitHits.increment();
        throw new ScrapeException("sample limit exceeded");
      }
      boolean ownTs = honorTs && p.hasTimestamp();
      long t = ownTs ? p.timestamp() : ts;
      boolean appended = true;
      long ref = cache.ref();
      try {
        // The ref the store gave last time lets it skip its label lookup. The start timestamp
        // (protobuf created_timestamp, or an OpenMetrics _created line when the store ingests
        // start timestamps; 0 when unknown) goes with the sample; the store decides what to keep.
        long start = p.startTimestamp();
        ref = e == Entry.HISTOGRAM ? app.appendHistogramWithStart(ref, l, start, t, p.histogram())
            : app.appendWithStart(ref, l, start, t, p.value());
        cache.setRef(ref);
      } catch (StorageException ex) {
        st.rejected++;
        appended = false;
      }
      if (appended) {
        // Like Prometheus: series new to the scrape cache, so explicit-timestamp series (never
        // tracked for staleness) count once, not on every scrape.
        if (newToCache) {
          st.seriesAdded++;
        }
        if (!ownTs || config.trackTimestampsStaleness()) {
          seen.add(l);
        }
      }
      // As Prometheus, exemplars and metadata go to the store even when the sample was refused
      // (a repeated explicit timestamp, say): they are judged on their own.
      List<Exemplar> exemplars = p.exemplars();
      if (!exemplars.isEmpty()) {
        appendExemplars(app, ref, l, exemplars, t);
      }
      // Metadata only for series new to the cache or when the family changed in this scrape.
      if (lastMeta != null && (newToCache || lastMeta.lastIterChange == metadata.iter())) {
        updateMetadata(app, ref, l, lastMeta);
      }
    }
  }

  /** Stores {@code family}'s metadata with {@code series} if the series belongs to it. */
  private static void updateMetadata(Appender app, long ref, Labels series,
      MetadataCache.Family family) {
    if (!MetadataCache.partOfFamily(series.metricName(), family.name(), family.type)) {
      return;
    }
    try {
      app.updateMetadata(ref, series, family.metadata());
    } catch (StorageException ex) {
      LOG.log(System.Logger.Level.DEBUG, "metadata of {0} refused: {1}", series, ex.getMessage());
    }
  }

  /**
   * Appends a sample's exemplars, those without a timestamp at the sample's time {@code t}, in
   * Prometheus's order (timestamp, value, labels). Refused exemplars are counted and logged at
   * debug level; they never fail the scrape.
   */
  private void appendExemplars(Appender app, long ref, Labels series, List<Exemplar> in,
      long t) {
    if (in.size() == 1) {
      appendExemplar(app, ref, series, stored(in.get(0), t));
      return;
    }
    List<dev.vigil.model.exemplar.Exemplar> sorted = new ArrayList<>(in.size());
    for (Exemplar x : in) {
      sorted.add(stored(x, t));
    }
    sorted.sort(EXEMPLAR_ORDER);
    for (dev.vigil.model.exemplar.Exemplar x : sorted) {
      appendExemplar(app, ref, series, x);
    }
  }

  private static final java.util.Comparator<dev.vigil.model.exemplar.Exemplar> EXEMPLAR_ORDER =
      java.util.Comparator.comparingLong(dev.vigil.model.exemplar.Exemplar::timestamp)
          .thenComparingDouble(dev.vigil.model.exemplar.Exemplar::value)
          .thenComparing(dev.vigil.model.exemplar.Exemplar::labels);

  private static dev.vigil.model.exemplar.Exemplar stored(Exemplar x, long t) {
    return new dev.vigil.model.exemplar.Exemplar(x.labels(), x.value(),
        x.hasTimestamp() ? x.timestamp() : t);
  }

  private void appendExemplar(Appender app, long ref, Labels series,
      dev.vigil.model.exemplar.Exemplar x) {
    try {
      app.appendExemplar(ref, series, x);
    } catch (StorageException ex) {
      exemplarsRejected.increment();
      LOG.log(System.Logger.Level.DEBUG, "exemplar {0} of {1} refused: {2}", x, series, ex.getMessage());
    }
  }

  private ExpositionFormat format(String contentType) throws ScrapeException {
    String ct = contentType.toLowerCase(Locale.ROOT).strip();
    if (ct.startsWith("application/openmetrics-text")) {
      return ExpositionFormat.OPENMETRICS_TEXT;
    }
    if (ct.startsWith("text/plain")) {
      return ExpositionFormat.PROMETHEUS_TEXT;
    }
    if (ExpositionFormat.isMetricFamilyProtobuf(ct)) {
      return ExpositionFormat.PROMETHEUS_PROTOBUF;
    }
    if (config.fallbackScrapeProtocol() != null) {
      return switch (config.fallbackScrapeProtocol()) {
        case OPENMETRICS_TEXT_0_0_1, OPENMETRICS_TEXT_1_0_0 -> ExpositionFormat.OPENMETRICS_TEXT;
        case PROMETHEUS_TEXT_0_0_4, PROMETHEUS_TEXT_1_0_0 -> ExpositionFormat.PROMETHEUS_TEXT;
        case PROMETHEUS_PROTO -> ExpositionFormat.PROMETHEUS_PROTOBUF;
      };
    }
    if (ct.isEmpty()) {
      throw new ScrapeException(
          "non-compliant scrape target sending blank Content-Type and no fallback_scrape_protocol specified for target");
    }
    throw new ScrapeException("received unsupported Content-Type \"" + contentType
        + "\" and no fallback_scrape_protocol specified for target");
  }

  /** Prometheus's {@code mutateSampleLabels}: target labels, conflicts, metric relabelling. */
  Labels mutate(Labels scraped) {
    Labels.Builder lb = scraped.toBuilder();
    if (config.honorLabels()) {
      for (int i = 0; i < targetLabels.size(); i++) {
        if (!scraped.has(targetLabels.name(i))) {
          lb.set(targetLabels.name(i), targetLabels.value(i));
        }
      }
    } else {
      List<String[]> conflicts = null;
      for (int i = 0; i < targetLabels.size(); i++) {
        String name = targetLabels.name(i);
        String existing = scraped.get(name);
        if (!existing.isEmpty()) {
          if (conflicts == null) {
            conflicts = new ArrayList<>(2);
          }
          conflicts.add(new String[] {name, existing});
        }
        lb.set(name, targetLabels.value(i));
      }
      if (conflicts != null) {
        // Shorter names first, as Prometheus, so exported_ prefixes resolve deterministically.
        conflicts.sort((a, b) -> Integer.compare(a[0].length(), b[0].length()));
        for (String[] c : conflicts) {
          String newName = c[0];
          while (true) {
            newName = "exported_" + newName;
            if (lb.get(newName).isEmpty()) {
              lb.set(newName, c[1]);
              break;
            }
          }
        }
      }
    }
    if (config.metricRelabelConfigs().isEmpty()) {
      return lb.build();
    }
    return Relabeler.processBuilder(lb, config.metricRelabelConfigs()) ? lb.build() : null;
  }

  private Labels reportLabels(Labels base) {
    Labels.Builder lb = base.toBuilder();
    for (int i = 0; i < targetLabels.size(); i++) {
      String name = targetLabels.name(i);
      lb.set("exported_" + name, base.get(name));
      lb.set(name, targetLabels.value(i));
    }
    return lb.build();
  }

  private void checkLabelLimits(Labels l) throws ScrapeException {
    long labelLimit = config.labelLimit();
    long nameLimit = config.labelNameLengthLimit();
    long valueLimit = config.labelValueLengthLimit();
    if (labelLimit == 0 && nameLimit == 0 && valueLimit == 0) {
      return;
    }
    String metric = l.metricName();
    if (labelLimit > 0 && l.size() > labelLimit) {
      throw new ScrapeException("label_limit exceeded (metric: " + cut(metric) + ", number of labels: "
          + l.size() + ", limit: " + labelLimit + ")");
    }
    for (int i = 0; i < l.size(); i++) {
      int nameLen = utf8Length(l.name(i));
      if (nameLimit > 0 && nameLen > nameLimit) {
        throw new ScrapeException("label_name_length_limit exceeded (metric: " + cut(metric) + ", label name: "
            + cut(l.name(i)) + ", length: " + nameLen + ", limit: " + nameLimit + ")");
      }
      int valueLen = utf8Length(l.value(i));
      if (valueLimit > 0 && valueLen > valueLimit) {
        throw new ScrapeException("label_value_length_limit exceeded (metric: " + cut(metric) + ", label name: "
            + cut(l.name(i)) + ", value: \"" + cut(l.value(i)) + "\", length: " + valueLen + ", limit: " + valueLimit + ")");
      }
    }
  }

  private static String cut(String s) {
    return s.length() <= 50 ? s : s.substring(0, 50);
  }

  private static int utf8Length(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  private static void appendQuietly(Appender app, Labels l, long t, double v) {
    try {
      app.append(0, l, t, v);
    } catch (StorageException e) {
      // Out-of-order or duplicate report/staleness samples are harmless; Prometheus ignores them too.
    }
  }
}
