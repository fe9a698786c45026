package dev.vigil.collector.remote;

import dev.vigil.model.histogram.FloatHistogram;
import dev.vigil.model.labels.Labels;
import dev.vigil.protocol.remote.RemoteWriteEncoder;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One sending lane of a queue: a bounded in-memory buffer of samples and exemplars (primitive
 * arrays in a ring) filled by the watcher, and a thread that takes up to {@code
 * max_samples_per_send} of them when the batch is full or {@code batch_send_deadline} has passed,
 * encodes them (the samples and exemplars of one series grouped into one time series, 1.0 labels
 * copied from their pre-encoded bytes, 2.0 series with their metadata) and sends them, retrying
 * until the endpoint accepts or refuses for good. A series always lands in the same shard and a
 * shard sends one batch at a time, so each series' samples arrive in WAL order.
 */
final class Shard {
  private static final System.Logger LOG = System.getLogger(Shard.class.getName());
  /** Item kinds: a float sample, a histogram sample ({@code objs}: the histogram), an exemplar ({@code objs}: its labels). */
  static final byte FLOAT = 0;
  static final byte HISTOGRAM = 1;
  static final byte EXEMPLAR = 2;

  private final QueueManager queue;
  private final int index;
  private final int maxPerSend;
  private final long deadlineNanos;
  private final boolean sendMetadata;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition notEmpty = lock.newCondition();
  private final Condition notFull = lock.newCondition();
  private final Condition retryWait = lock.newCondition();
  // Ring buffer, guarded by lock.
  private final long[] refs;
  private final QueuedSeries[] series;
  private final long[] ts;
  private final double[] vs;
  private final Object[] objs;
  private final byte[] kinds;
  private final long[] marks;
  private int head;
  private int count;
  private long oldestSince; // nanoTime when the buffer last became non-empty
  private boolean flushing; // send what is buffered without waiting for the deadline, then stop
  // The batch being sent; shard thread only.
  private final long[] bRefs;
  private final QueuedSeries[] bSeries;
  private final long[] bTs;
  private final double[] bVs;
  private final Object[] bObjs;
  private final byte[] bKinds;
  private final long[] bMarks;
  private final long[] order;
  private final RemoteWriteEncoder encoder;
  private final Thread thread;

  Shard(QueueManager queue, int index) {
    this.queue = queue;
    this.index = index;
    var qc = queue.config().queueConfig();
    this.maxPerSend = qc.maxSamplesPerSend();
    this.deadlineNanos = qc.batchSendDeadline().toNanos();
    this.sendMetadata = queue.config().metadataConfig().send();
    int cap = qc.capacity();
    refs = new long[cap];
    series = new QueuedSeries[cap];
    ts = new long[cap];
    vs = new double[cap];
    objs = new Object[cap];
    kinds = new byte[cap];
    marks = new long[cap];
    bRefs = new long[maxPerSend];
    bSeries = new QueuedSeries[maxPerSend];
    bTs = new long[maxPerSend];
    bVs = new double[maxPerSend];
    bObjs = new Object[maxPerSend];
    bKinds = new byte[maxPerSend];
    bMarks = new long[maxPerSend];
    order = new long[maxPerSend];
    encoder = new RemoteWriteEncoder(queue.version());
    thread = new Thread(this::run, "vigil-remote-write " + queue.name() + " shard " + index);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /**
   * Buffers one item of {@code kind} ({@code obj}: null for a float, the histogram, or the
   * exemplar's labels); waits up to {@code waitNanos} for room. Returns false when the buffer
   * stayed full.
   */
  boolean offer(long ref, QueuedSeries s, byte kind, long t, double v, Object obj, long mark,
      long waitNanos) throws InterruptedException {
    lock.lock();
    try {
      long left = waitNanos;
      while (count == refs.length) {
        if (left <= 0) {
          return false;
        }
        left = notFull.awaitNanos(left);
      }
      int i = (head + count) % refs.length;
      refs[i] = ref;
      series[i] = s;
      ts[i] = t;
      vs[i] = v;
      objs[i] = obj;
      kinds[i] = kind;
      marks[i] = mark;
      if (count++ == 0) {
        oldestSince = System.nanoTime();
      }
      if (count == maxPerSend) {
        notEmpty.signal(); // once per full batch: the shard takes everything buffered by then
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Buffers float samples {@code [from, from + n)} of the arrays under one lock acquisition (as
   * many as fit), waiting up to {@code waitNanos} while the buffer is full. Returns how many
   * were taken: 0 when the buffer stayed full.
   */
  int offerFloats(long[] rs, QueuedSeries[] qs, long[] t, double[] v, int from, int n, long mark,
      long waitNanos) throws InterruptedException {
    lock.lock();
    try {
      long left = waitNanos;
      while (count == refs.length) {
        if (left <= 0) {
          return 0;
        }
        left = notFull.awaitNanos(left);
      }
      int cap = refs.length;
      int take = Math.min(n, cap - count);
      if (count == 0) {
        oldestSince = System.nanoTime();
      }
      int i = (head + count) % cap;
      for (int k = from, end = from + take; k < end; k++) {
        refs[i] = rs[k];
        series[i] = qs[k];
        ts[i] = t[k];
        vs[i] = v[k];
        objs[i] = null;
        kinds[i] = FLOAT;
        marks[i] = mark;
        if (++i == cap) {
          i = 0;
        }
      }
      boolean wasBelow = count < maxPerSend;
      count += take;
      if (wasBelow && count >= maxPerSend) {
        notEmpty.signal();
      }
      return take;
    } finally {
      lock.unlock();
    }
  }

  int buffered() {
    lock.lock();
    try {
      return count;
    } finally {
      lock.unlock();
    }
  }

  /** Sends everything buffered (retrying as usual), then stops the thread; waits for that. */
  void flushAndStop() throws InterruptedException {
    lock.lock();
    try {
      flushing = true;
      notEmpty.signalAll();
    } finally {
      lock.unlock();
    }
    thread.join();
  }

  /**
   * After an abort: wakes the shard and interrupts a request in flight (the JDK client cancels
   * it), so shutdown does not wait for {@code remote_timeout} on an unresponsive endpoint. The
   * shard thread touches no files, so an interrupt cannot close a channel under anyone.
   */
  void abortNow() {
    lock.lock();
    try {
      notEmpty.signalAll();
      retryWait.signalAll();
    } finally {
      lock.unlock();
    }
    thread.interrupt();
  }

  void join(long millis) throws InterruptedException {
    thread.join(millis);
  }

  private void run() {
    try {
      while (true) {
        int n = take();
        if (n < 0) {
          return;
        }
        if (!send(n)) {
          return; // aborted: the samples stay unacknowledged and are read again after restart
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      LOG.log(System.Logger.Level.ERROR, "remote-write shard " + queue.name() + "/" + index
          + " stopped by an unexpected error; samples stay in the WAL", e);
      queue.stats().lastError = String.valueOf(e);
    }
  }

  // Waits for a full batch, the deadline or a flush; copies the batch out; -1 = stop.
  private int take() throws InterruptedException {
    lock.lock();
    try {
      while (true) {
        if (queue.aborted()) {
          return -1;
        }
        if (count >= maxPerSend || (count > 0 && (flushing
            || System.nanoTime() - oldestSince >= deadlineNanos))) {
          break;
        }
        if (count == 0 && flushing) {
          return -1;
        }
        long wait = count == 0 ? TimeUnit.SECONDS.toNanos(1)
            : deadlineNanos - (System.nanoTime() - oldestSince);
        notEmpty.awaitNanos(Math.max(wait, 1));
      }
      int n = Math.min(count, maxPerSend);
      int cap = refs.length;
      for (int k = 0; k < n; k++) {
        int i = (head + k) % cap;
        bRefs[k] = refs[i];
        bSeries[k] = series[i];
        bTs[k] = ts[i];
        bVs[k] = vs[i];
        bObjs[k] = objs[i];
        bKinds[k] = kinds[i];
        bMarks[k] = marks[i];
        series[i] = null;
        objs[i] = null;
      }
      head = (head + n) % cap;
      count -= n;
      oldestSince = System.nanoTime(); // the deadline restarts for what is left
      notFull.signalAll();
      return n;
    } finally {
      lock.unlock();
    }
  }

  private void encode(int n) {
    // Group the batch by series (stable: per series the original order), one TimeSeries each.
    for (int k = 0; k < n; k++) {
      order[k] = (bRefs[k] << 32) | k;
    }
    Arrays.sort(order, 0, n);
    encoder.reset();
    long prev = -1;
    for (int j = 0; j < n; j++) {
      int k = (int) order[j];
      long ref = order[j] >>> 32;
      if (ref != prev) {
        if (prev >= 0) {
          encoder.endSeries();
        }
        QueuedSeries s = bSeries[k];
        if (s.v1LabelFields != null) {
          encoder.beginSeries(s.v1LabelFields);
        } else {
          encoder.beginSeries(s.labels);
          FamilyMetadata f = s.family;
          if (f != null && sendMetadata) {
            encoder.seriesMetadata(f.metadata.type(), f.metadata.help(), f.metadata.unit());
          }
        }
        prev = ref;
      }
      switch (bKinds[k]) {
        case FLOAT -> encoder.sample(bTs[k], bVs[k]);
        case HISTOGRAM -> encoder.histogram(bTs[k], (FloatHistogram) bObjs[k]);
        default -> encoder.exemplar((Labels) bObjs[k], bVs[k], bTs[k]);
      }
    }
    if (prev >= 0) {
      encoder.endSeries();
    }
    encoder.finish();
    encoder.compress();
  }

  // Returns false when the queue was aborted before the batch was settled.
  private boolean send(int n) throws InterruptedException {
    encode(n);
    long maxT = Long.MIN_VALUE;
    int ne = 0;
    for (int k = 0; k < n; k++) {
      if (bKinds[k] == EXEMPLAR) {
        ne++;
      } else {
        maxT = Math.max(maxT, bTs[k]);
      }
    }
    int ns = n - ne;
    QueueStats stats = queue.stats();
    long backoff = queue.config().queueConfig().minBackoff().toMillis();
    long maxBackoff = queue.config().queueConfig().maxBackoff().toMillis();
    while (true) {
      long t0 = System.nanoTime();
      SendOutcome o = queue.client().send(encoder.body(), encoder.bodyLength());
      queue.sendTook(System.nanoTime() - t0);
      switch (o.kind()) {
        case SENT -> {
          // Settled first: whoever sees the sent count also sees the pending count without them.
          settle(n);
          stats.samplesSent.add(ns);
          stats.exemplarsSent.add(ne);
          stats.metadataSent.add(encoder.metadataCount());
          stats.requestsSent.increment();
          stats.bytesSent.add(encoder.bodyLength());
          if (ns > 0) {
            QueueStats.raise(stats.highestSentTimestamp, maxT);
          }
          queue.sentOk();
          return true;
        }
        case DROP -> {
          settle(n);
          stats.samplesFailed.add(ns);
          stats.exemplarsFailed.add(ne);
          stats.requestsFailed.increment();
          stats.drop(QueueStats.DROP_HTTP_PREFIX + o.status(), ns);
          stats.lastError = o.message();
          LOG.log(System.Logger.Level.WARNING, "remote write to " + queue.name() + " dropped "
              + ns + " samples and " + ne + " exemplars, not retryable: " + o.message());
          return true;
        }
        case RETRY -> {
          stats.samplesRetried.add(ns);
          stats.exemplarsRetried.add(ne);
          stats.requestsFailed.increment();
          stats.lastError = o.message();
          queue.sendFailed();
          long sleep = o.retryAfterMillis() >= 0 ? o.retryAfterMillis() : backoff;
          backoff = Math.min(Math.max(backoff * 2, 1), maxBackoff);
          LOG.log(System.Logger.Level.DEBUG, "remote write to " + queue.name() + " failed, retrying in "
              + sleep + " ms: " + o.message());
          if (!sleepUnlessAborted(sleep)) {
            return false;
          }
        }
      }
    }
  }

  private void settle(int n) {
    queue.tracker().ack(bMarks, 0, n);
    queue.stats().pending.add(-n);
    Arrays.fill(bSeries, 0, n, null);
    Arrays.fill(bObjs, 0, n, null);
  }

  private boolean sleepUnlessAborted(long millis) throws InterruptedException {
    long left = TimeUnit.MILLISECONDS.toNanos(millis);
    lock.lock();
    try {
      while (left > 0 && !queue.aborted()) {
        left = retryWait.awaitNanos(left);
      }
      return !queue.aborted();
    } finally {
      lock.unlock();
    }
  }

}
