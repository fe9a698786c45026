package dev.vigil.rules.notify;

import dev.vigil.model.labels.Labels;
import dev.vigil.rules.metrics.MetricSample;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Delivers alerts to Alertmanager's v2 API as Prometheus's notifier: {@link #send} adds external
 * labels and queues without blocking; one sender thread posts batches to every configured
 * Alertmanager, retrying 5xx answers and network errors. When the queue is full the oldest alerts
 * are dropped (they are re-sent at the next resend anyway) and counted. Counters use Prometheus's
 * names ({@link #collect()}). Call {@link #start()} once; {@link #close()} sends what is queued,
 * then stops.
 */
public final class AlertmanagerNotifier implements AlertSender, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(AlertmanagerNotifier.class.getName());
  private static final String PATH = "/api/v2/alerts";

  private final AlertmanagerNotifierOptions opts;
  private final HttpClient client;
  private final Object lock = new Object();
  private final ArrayDeque<NotifierAlert> queue = new ArrayDeque<>();
  private final AtomicLong dropped = new AtomicLong();
  private final Map<URI, AtomicLong> sent = new LinkedHashMap<>();
  private final Map<URI, AtomicLong> errors = new LinkedHashMap<>();
  private boolean closing;
  private @Nullable Thread sender;

  public AlertmanagerNotifier(AlertmanagerNotifierOptions options) {
    this.opts = options;
    this.client = HttpClient.newBuilder().connectTimeout(options.timeout()).build();
    for (URI am : options.alertmanagers()) {
      sent.put(am, new AtomicLong());
      errors.put(am, new AtomicLong());
    }
  }

  public void start() {
    synchronized (lock) {
      if (sender != null) {
        throw new IllegalStateException("notifier already started");
      }
      sender = Thread.ofPlatform().daemon().name("vigil-alertmanager-notifier").start(this::run);
    }
  }

  @Override
  public void send(List<NotifierAlert> alerts) {
    List<NotifierAlert> labelled = new ArrayList<>(alerts.size());
    for (NotifierAlert a : alerts) {
      Labels.Builder b = a.labels().toBuilder();
      opts.externalLabels().forEach((n, v) -> {
        if (b.get(n).isEmpty()) {
          b.set(n, v);
        }
      });
      Labels l = b.build();
      if (!l.isEmpty()) { // Alertmanager rejects alerts without labels
        labelled.add(new NotifierAlert(l, a.annotations(), a.startsAt(), a.endsAt(),
            a.generatorUrl()));
      }
    }
    synchronized (lock) {
      queue.addAll(labelled);
      while (queue.size() > opts.queueCapacity()) {
        queue.pollFirst();
        dropped.incrementAndGet();
      }
      lock.notifyAll();
    }
  }

  private void run() {
    while (true) {
      List<NotifierAlert> batch = new ArrayList<>();
      synchronized (lock) {
        while (queue.isEmpty() && !closing) {
          try {
            lock.wait();
          } catch (InterruptedException e) {
            return;
          }
        }
        if (queue.isEmpty()) {
          return; // closing and drained
        }
        while (batch.size() < opts.maxBatchSize() && !queue.isEmpty()) {
          batch.add(queue.pollFirst());
        }
      }
      if (!sendAll(batch)) {
        dropped.addAndGet(batch.size());
      }
    }
  }

  /** @return true when at least one Alertmanager accepted the batch */
  private boolean sendAll(List<NotifierAlert> batch) {
    String body = AlertmanagerPayload.encode(batch);
    boolean any = false;
    for (URI am : opts.alertmanagers()) {
      if (post(am, body)) {
        sent.get(am).addAndGet(batch.size());
        any = true;
      } else {
        errors.get(am).addAndGet(batch.size());
      }
    }
    return any;
  }

  private boolean post(URI am, String body) {
    URI target = URI.create(stripSlash(am.toString()) + PATH);
    HttpRequest req = HttpRequest.newBuilder(target).timeout(opts.timeout())
        .header("Content-Type", "application/json")
        .header("User-Agent", "Vigil")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
    long backoff = opts.retryBackoff().toMillis();
    for (int attempt = 0; ; attempt++) {
      String problem;
      try {
        HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 == 2) {
          return true;
        }
        problem = "HTTP " + r.statusCode() + ": " + r.body().strip();
        if (r.statusCode() / 100 == 4) {
          LOG.log(System.Logger.Level.WARNING, "alertmanager " + target + " refused "
              + "alerts: " + problem);
          return false; // the batch itself is bad: retrying cannot help
        }
      } catch (IOException e) {
        problem = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      if (attempt >= opts.maxRetries()) {
        LOG.log(System.Logger.Level.WARNING, "sending alerts to " + target + " failed after "
            + (attempt + 1) + " attempts: " + problem);
        return false;
      }
      try {
        Thread.sleep(backoff << attempt);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  /** Alerts dropped so far: queue overflow, or no Alertmanager accepted them. */
  public long dropped() {
    return dropped.get();
  }

  /** Alerts {@code alertmanager} accepted so far. */
  public long sent(URI alertmanager) {
    AtomicLong n = sent.get(alertmanager);
    return n == null ? 0 : n.get();
  }

  public int queueLength() {
    synchronized (lock) {
      return queue.size();
    }
  }

  /** Prometheus's {@code prometheus_notifications_*} values. */
  public List<MetricSample> collect() {
    List<MetricSample> out = new ArrayList<>();
    sent.forEach((am, n) -> out.add(new MetricSample("prometheus_notifications_sent_total",
        Labels.of("alertmanager", am + PATH), n.get(), true)));
    errors.forEach((am, n) -> out.add(new MetricSample("prometheus_notifications_errors_total",
        Labels.of("alertmanager", am + PATH), n.get(), true)));
    out.add(new MetricSample("prometheus_notifications_dropped_total", Labels.EMPTY,
        dropped.get(), true));
    out.add(new MetricSample("prometheus_notifications_queue_length", Labels.EMPTY,
        queueLength(), false));
    out.add(new MetricSample("prometheus_notifications_queue_capacity", Labels.EMPTY,
        opts.queueCapacity(), false));
    out.add(new MetricSample("prometheus_notifications_alertmanagers_discovered", Labels.EMPTY,
        opts.alertmanagers().size(), false));
    return out;
  }

  /** Sends what is queued (waiting up to the request timeout per batch), then stops. */
  @Override
  public void close() {
    Thread t;
    synchronized (lock) {
      closing = true;
      lock.notifyAll();
      t = sender;
    }
    if (t != null) {
      try {
        t.join(opts.timeout().toMillis() * (opts.maxRetries() + 1) + 1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      t.interrupt();
    }
    client.close();
  }
}
