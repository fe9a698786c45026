package dev.vigil.collector.remote;

import dev.vigil.collector.config.RemoteWriteConfig;
import dev.vigil.protocol.remote.MetricMetadata;
import dev.vigil.protocol.remote.RemoteWriteEncoder;
import dev.vigil.protocol.remote.RemoteWriteVersion;
import java.util.List;

/**
 * Sends remote write 1.0 metric metadata, as Prometheus's metadata watcher does: every {@code
 * metadata_config.send_interval} the watcher hands over the metadata of every family its live
 * series have (from the WAL's metadata records), and this thread sends it in requests of at most
 * {@code metadata_config.max_samples_per_send} {@code MetricMetadata} entries, retrying failed
 * requests with the queue's backoff until they succeed, are refused for good, or a newer round
 * replaces them (metadata is a snapshot: the next round says everything again).
 */
final class MetadataSender {
  private static final System.Logger LOG = System.getLogger(MetadataSender.class.getName());

  private final QueueManager queue;
  private final RemoteWriteConfig.MetadataConfig config;
  private final RemoteWriteEncoder encoder = new RemoteWriteEncoder(RemoteWriteVersion.V1);
  private final Object lock = new Object();
  private final Thread thread;
  private List<MetricMetadata> next; // guarded by lock: the newest round not yet taken
  private volatile boolean stopped;

  MetadataSender(QueueManager queue) {
    this.queue = queue;
    this.config = queue.config().metadataConfig();
    this.thread = new Thread(this::run, "vigil-remote-write " + queue.name() + " metadata");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** The metadata of every family now; replaces a round not yet sent. */
  void offer(List<MetricMetadata> round) {
    synchronized (lock) {
      if (next != null) {
        queue.stats().metadataFailed.add(next.size());
      }
      next = round;
      lock.notifyAll();
    }
  }

  private boolean newerRound() {
    synchronized (lock) {
      return next != null;
    }
  }

  void stop() {
    stopped = true;
    synchronized (lock) {
      lock.notifyAll();
    }
    thread.interrupt();
  }

  void join(long millis) throws InterruptedException {
    thread.join(Math.max(1, millis));
  }

  private void run() {
    try {
      while (!stopped) {
        List<MetricMetadata> round;
        synchronized (lock) {
          while (next == null && !stopped) {
            lock.wait();
          }
          round = next;
          next = null;
        }
        if (round == null) {
          return;
        }
        int max = config.maxSamplesPerSend();
        for (int from = 0; from < round.size() && !stopped; from += max) {
          int to = Math.min(round.size(), from + max);
          if (!send(round, from, to)) {
            queue.stats().metadataFailed.add(round.size() - from);
            break;
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // stopping
    } catch (RuntimeException | Error e) {
      LOG.log(System.Logger.Level.ERROR, "remote write " + queue.name() + ": metadata sender stopped", e);
      queue.stats().lastError = String.valueOf(e);
    }
  }

  // True when the entries were sent; false when given up (refused, superseded, stopping).
  private boolean send(List<MetricMetadata> round, int from, int to) throws InterruptedException {
    encoder.reset();
    for (int i = from; i < to; i++) {
      MetricMetadata m = round.get(i);
      encoder.metadata(m.type(), m.family(), m.help(), m.unit());
    }
    encoder.finish();
    encoder.compress();
    var qc = queue.config().queueConfig();
    long backoff = qc.minBackoff().toMillis();
    while (!stopped && !queue.aborted()) {
      SendOutcome o = queue.client().send(encoder.body(), encoder.bodyLength());
      switch (o.kind()) {
        case SENT -> {
          queue.stats().metadataSent.add(to - from);
          return true;
        }
        case DROP -> {
          LOG.log(System.Logger.Level.WARNING, "remote write " + queue.name() + ": metadata refused, "
              + "not retryable: " + o.message());
          queue.stats().metadataFailed.add(to - from);
          return true; // the next batch of the round may still be accepted
        }
        case RETRY -> {
          if (newerRound()) {
            return false;
          }
          long sleep = o.retryAfterMillis() >= 0 ? o.retryAfterMillis() : backoff;
          backoff = Math.min(Math.max(backoff * 2, 1), qc.maxBackoff().toMillis());
          Thread.sleep(sleep);
        }
      }
    }
    return false;
  }
}
