package dev.vigil.collector.remote;

import dev.vigil.collector.config.RemoteWriteConfig;
import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.protocol.remote.RemoteWriteVersion;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The shards of one endpoint and how many there are. Samples go to shard {@code hash(ref) mod
 * shards}. Every {@code reshardInterval} the desired shard count is recomputed as Prometheus's
 * queue manager does: the time sending takes per sample times the rate samples must go out at
 * (input rate plus a share of the backlog, measured as the gap between the newest timestamp read
 * and the newest sent); inside ±30 % of the current count nothing changes, and nothing changes
 * while the endpoint is failing (more shards would only hammer it). A change drains the old
 * shards completely before the new ones start, so per-series order survives resharding.
 *
 * <p>{@link #append}, {@link #appendHistogram} and {@link #maybeReshard} are called by the
 * watcher thread only.
 */
final class QueueManager {
  private static final System.Logger LOG = System.getLogger(QueueManager.class.getName());
  private static final double EWMA_WEIGHT = 0.3;
  private static final double INTEGRAL_GAIN_PER_SECOND = 0.1;
  private static final double TOLERANCE = 0.3;

  private final RemoteWriteConfig config;
  private final String name;
  private final RemoteWriteVersion version;
  private final QueueStats stats;
  private final PositionTracker tracker;
  private final RemoteWriteClient client;
  private final long reshardIntervalNanos;
  private volatile Shard[] shards;
  /** 1.0 with {@code metadata_config.send}: sends each family's metadata periodically; else null. */
  private final MetadataSender metadataSender;
  private volatile boolean aborted;
  private volatile boolean intakeClosed;
  // Rates for resharding; watcher thread only, except the adders.
  private final LongAdder sendNanos = new LongAdder();
  private volatile long lastSendOkNanos = System.nanoTime();
  private volatile long lastFailureNanos;
  private long lastTick = System.nanoTime();
  private long lastIn;
  private long lastOut;
  private long lastSendNanos;
  private double inRate = -1;
  private double outRate = -1;
  private double outDuration = -1;
  // appendFloats' scratch for grouping a record's samples by shard; watcher thread only.
  private long[] gRefs = new long[0];
  private QueuedSeries[] gQs = new QueuedSeries[0];
  private long[] gTs = new long[0];
  private double[] gVs = new double[0];
  private int[] gShard = new int[0];
  private int[] gCount = new int[0];

  QueueManager(RemoteWriteConfig config, String name, QueueStats stats, PositionTracker tracker,
      RemoteWriteClient client, Duration reshardInterval) {
    this.config = config;
    this.name = name;
    this.version = RemoteWriteVersion.fromContentType(RemoteWriteVersion.PROTOBUF + ";proto="
        + config.protobufMessage());
    this.stats = stats;
    this.tracker = tracker;
    this.client = client;
    this.reshardIntervalNanos = reshardInterval.toNanos();
    this.shards = newShards(config.queueConfig().minShards());
    this.metadataSender = version == RemoteWriteVersion.V1 && config.metadataConfig().send()
        ? new MetadataSender(this) : null;
    stats.shards = shards.length;
    stats.desiredShards = shards.length;
  }

  RemoteWriteConfig config() {
    return config;
  }

  String name() {
    return name;
  }

  RemoteWriteVersion version() {
    return version;
  }

  QueueStats stats() {
    return stats;
  }

  PositionTracker tracker() {
    return tracker;
  }

  RemoteWriteClient client() {
    return client;
  }

  boolean aborted() {
    return aborted;
  }

  void sendTook(long nanos) {
    sendNanos.add(nanos);
  }

  void sentOk() {
    lastSendOkNanos = System.nanoTime();
  }

  void sendFailed() {
    lastFailureNanos = System.nanoTime();
  }

  private Shard[] newShards(int n) {
    Shard[] s = new Shard[n];
    for (int i = 0; i < n; i++) {
      s[i] = new Shard(this, i);
    }
    return s;
  }

  void start() {
    for (Shard s : shards) {
      s.start();
    }
    if (metadataSender != null) {
      metadataSender.start();
    }
  }

  /** The 1.0 metadata sender, or null (2.0 sends metadata with the series; or not sending it). */
  MetadataSender metadataSender() {
    return metadataSender;
  }

  /** Enqueues a float sample, waiting while its shard is full. False if the queue was aborted. */
  boolean append(long ref, QueuedSeries series, long t, double v, long mark) throws InterruptedException {
    return offer(ref, series, Shard.FLOAT, t, v, null, mark);
  }

  boolean appendHistogram(long ref, QueuedSeries series, long t, FloatHistogram h, long mark)
      throws InterruptedException {
    return offer(ref, series, Shard.HISTOGRAM, t, 0, h, mark);
  }

  /**
   * Enqueues a record's accepted float samples {@code [0, n)}, one lock acquisition per shard
   * instead of one per sample; waits while shards are full. False if the queue was aborted.
   * The arrays are the caller's and may be reordered.
   */
  boolean appendFloats(long[] refs, QueuedSeries[] qs, long[] ts, double[] vs, int n, long mark)
      throws InterruptedException {
    stats.pending.add(n);
    Shard[] s = shards;
    if (s.length > 1) {
      groupByShard(refs, qs, ts, vs, n, s.length);
    }
    int from = 0;
    while (from < n) {
      if (aborted || intakeClosed) {
        stats.pending.add(-(n - from));
        return false;
      }
      if (s != shards) {
        // Resharded while waiting: the rest goes sample by sample to the new shards.
        for (int k = from; k < n; k++) {
          stats.pending.decrement(); // offer counts it again
          if (!offer(refs[k], qs[k], Shard.FLOAT, ts[k], vs[k], null, mark)) {
            stats.pending.add(-(n - k - 1));
            return false;
          }
        }
        return true;
      }
      Shard shard = s[shardOf(refs[from], s.length)];
      int end = from + 1;
      if (s.length > 1) {
        int idx = shardOf(refs[from], s.length);
        while (end < n && shardOf(refs[end], s.length) == idx) {
          end++;
        }
      } else {
        end = n;
      }
      int took = shard.offerFloats(refs, qs, ts, vs, from, end - from, mark,
          TimeUnit.MILLISECONDS.toNanos(100));
      if (took == 0) {
        maybeReshard(); // a full shard is the backlog resharding reacts to
      }
      from += took;
    }
    return true;
  }

  // Stable counting sort of the items by shard, so each shard's run is contiguous.
  private void groupByShard(long[] refs, QueuedSeries[] qs, long[] ts, double[] vs, int n, int shardCount) {
    if (gRefs.length < n) {
      gRefs = new long[n];
      gQs = new QueuedSeries[n];
      gTs = new long[n];
      gVs = new double[n];
      gShard = new int[n];
    }
    if (gCount.length < shardCount + 1) {
      gCount = new int[shardCount + 1];
    }
    java.util.Arrays.fill(gCount, 0, shardCount + 1, 0);
    for (int k = 0; k < n; k++) {
      int sh = shardOf(refs[k], shardCount);
      gShard[k] = sh;
      gCount[sh + 1]++;
    }
    for (int i = 1; i <= shardCount; i++) {
      gCount[i] += gCount[i - 1];
    }
    for (int k = 0; k < n; k++) {
      int at = gCount[gShard[k]]++;
      gRefs[at] = refs[k];
      gQs[at] = qs[k];
      gTs[at] = ts[k];
      gVs[at] = vs[k];
    }
    System.arraycopy(gRefs, 0, refs, 0, n);
    System.arraycopy(gQs, 0, qs, 0, n);
    System.arraycopy(gTs, 0, ts, 0, n);
    System.arraycopy(gVs, 0, vs, 0, n);
    java.util.Arrays.fill(gQs, 0, n, null);
  }

  /** Enqueues an exemplar of the series (its own labels, value and timestamp). */
  boolean appendExemplar(long ref, QueuedSeries series, long t, double v, Labels exemplarLabels,
      long mark) throws InterruptedException {
    return offer(ref, series, Shard.EXEMPLAR, t, v, exemplarLabels, mark);
  }

  private boolean offer(long ref, QueuedSeries series, byte kind, long t, double v, Object obj,
      long mark) throws InterruptedException {
    stats.pending.increment();
    while (!aborted && !intakeClosed) {
      Shard[] s = shards;
      Shard shard = s[shardOf(ref, s.length)];
      if (shard.offer(ref, series, kind, t, v, obj, mark, TimeUnit.MILLISECONDS.toNanos(100))) {
        return true;
      }
      maybeReshard(); // a full shard is the backlog resharding reacts to
    }
    stats.pending.decrement();
    return false;
  }

  static int shardOf(long ref, int shards) {
    long h = ref * 0x9E3779B97F4A7C15L;
    return (int) Long.remainderUnsigned(h ^ (h >>> 29), shards);
  }

  /** Recomputes the shard count once per interval and applies a change. Watcher thread only. */
  void maybeReshard() throws InterruptedException {
    long now = System.nanoTime();
    long elapsed = now - lastTick;
    if (elapsed < reshardIntervalNanos) {
      return;
    }
    lastTick = now;
    double secs = elapsed / 1e9;
    long in = stats.samplesIn();
    long out = stats.samplesSent() + stats.samplesFailed();
    long sn = sendNanos.sum();
    inRate = ewma(inRate, (in - lastIn) / secs);
    outRate = ewma(outRate, (out - lastOut) / secs);
    outDuration = ewma(outDuration, (sn - lastSendNanos) / 1e9 / secs);
    lastIn = in;
    lastOut = out;
    lastSendNanos = sn;
    int current = shards.length;
    int desired = desiredShards(current, secs);
    stats.desiredShards = desired;
    if (desired == current) {
      return;
    }
    // While the endpoint fails, keep the shards: draining would wait on the outage.
    if (now - lastFailureNanos < 2 * reshardIntervalNanos || now - lastSendOkNanos > 2 * reshardIntervalNanos) {
      return;
    }
    reshard(desired);
  }

  private int desiredShards(int current, double intervalSecs) {
    if (outRate <= 0) {
      return current;
    }
    double timePerSample = outDuration / outRate;
    long hr = stats.highestReadTimestamp();
    long hs = stats.highestSentTimestamp();
    double delaySecs = hr == Long.MIN_VALUE || hs == Long.MIN_VALUE ? 0 : Math.max(0, (hr - hs) / 1000.0);
    double pending = delaySecs * inRate;
    double integralGain = INTEGRAL_GAIN_PER_SECOND / Math.max(intervalSecs, 1);
    double desired = timePerSample * (inRate + integralGain * pending);
    if (desired >= current * (1 - TOLERANCE) && desired <= current * (1 + TOLERANCE)) {
      return current;
    }
    var qc = config.queueConfig();
    return (int) Math.max(qc.minShards(), Math.min(qc.maxShards(), Math.ceil(desired)));
  }

  private static double ewma(double old, double sample) {
    return old < 0 ? sample : EWMA_WEIGHT * sample + (1 - EWMA_WEIGHT) * old;
  }

  private void reshard(int n) throws InterruptedException {
    LOG.log(System.Logger.Level.INFO, "remote write " + name + ": resharding from " + shards.length
        + " to " + n + " shards");
    for (Shard s : shards) {
      s.flushAndStop();
    }
    if (aborted) {
      return;
    }
    Shard[] fresh = newShards(n);
    for (Shard s : fresh) {
      s.start();
    }
    shards = fresh;
    stats.shards = n;
    stats.reshards++;
  }

  /**
   * Sends what the shards hold for up to {@code timeout}, then gives up on the rest (it stays
   * in the WAL, unacknowledged, and is sent after a restart).
   */
  void close(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Shard[] s = shards;
    Thread flusher = new Thread(() -> {
      try {
        for (Shard sh : s) {
          sh.flushAndStop();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "vigil-remote-write " + name + " flush");
    flusher.setDaemon(true);
    flusher.start();
    flusher.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
    if (flusher.isAlive()) {
      LOG.log(System.Logger.Level.WARNING, "remote write " + name + ": " + stats.pendingSamples()
          + " samples not sent before shutdown; they stay in the WAL and are sent after a restart");
    }
    abort();
    flusher.join(config.remoteTimeout().toMillis() + 1000);
    if (metadataSender != null) {
      metadataSender.stop();
      metadataSender.join(config.remoteTimeout().toMillis() + 1000);
    }
    client.close();
  }

  /** Makes a waiting {@link #append} give up (returning false): the watcher is stopping. */
  void closeIntake() {
    intakeClosed = true;
  }

  /** Stops every shard as soon as possible, leaving unsent samples unacknowledged. */
  void abort() {
    aborted = true;
    for (Shard sh : shards) {
      sh.abortNow();
    }
  }
}
