package dev.vigil.rules.notify;

import dev.vigil.model.labels.Labels;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Settings of an {@link AlertmanagerNotifier}.
 *
 * @param alertmanagers base URLs (e.g. {@code http://127.0.0.1:9093}); alerts go to {@code
 *     <base>/api/v2/alerts} of every one
 * @param externalLabels added to every alert that lacks the label (Prometheus's
 *     {@code external_labels})
 * @param queueCapacity alerts held at most; beyond it the oldest are dropped (Prometheus: 10000)
 * @param maxBatchSize alerts per request (Prometheus: 256)
 * @param timeout per request (Prometheus: 10s)
 * @param maxRetries further attempts per Alertmanager after a 5xx or a network error (4xx is not
 *     retried); a batch no Alertmanager accepted counts as dropped
 * @param retryBackoff wait before the first retry, doubled for each further one
 */
public record AlertmanagerNotifierOptions(List<URI> alertmanagers, Labels externalLabels,
    int queueCapacity, int maxBatchSize, Duration timeout, int maxRetries,
    Duration retryBackoff) {
  public AlertmanagerNotifierOptions {
    alertmanagers = List.copyOf(alertmanagers);
    if (queueCapacity < 1 || maxBatchSize < 1 || maxRetries < 0) {
      throw new IllegalArgumentException("queueCapacity and maxBatchSize must be positive, "
          + "maxRetries not negative: " + queueCapacity + ", " + maxBatchSize + ", " + maxRetries);
    }
  }

  /** Prometheus's defaults, two retries half a second apart. */
  public static AlertmanagerNotifierOptions defaults(List<URI> alertmanagers,
      Labels externalLabels) {
    return new AlertmanagerNotifierOptions(alertmanagers, externalLabels, 10_000, 256,
        Duration.ofSeconds(10), 2, Duration.ofMillis(500));
  }
}
