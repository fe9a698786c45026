package dev.vigil.server.monitoring;

import dev.vigil.protocol.remote.ExemplarRejectReason;
import dev.vigil.protocol.remote.PushStats;
import dev.vigil.protocol.remote.RejectReason;
import dev.vigil.server.http.HttpReply;
import dev.vigil.server.http.RequestObserver;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * The server's own metrics, with Prometheus-style names ({@code vigil_} prefix; labels as in
 * Mimir: {@code user} for the tenant, {@code reason} for discards, {@code route} and
 * {@code status_code} for requests). Thread-safe.
 */
public final class ServerMetrics implements RequestObserver {
  private static final RejectReason[] REASONS = RejectReason.values();
  private static final ExemplarRejectReason[] EXEMPLAR_REASONS = ExemplarRejectReason.values();

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final ExpositionFormats formats = ExpositionFormats.init();
  private final Histogram requestDuration;
  private final Counter receivedSamples;
  private final Counter receivedHistograms;
  private final Counter receivedExemplars;
  private final Counter discardedSamples;
  private final Counter discardedExemplars;
  private final Counter discardedMetadata;
  private final Counter pushRequests;

  public ServerMetrics() {
    requestDuration = Histogram.builder().name("vigil_request_duration_seconds")
        .help("Time to answer HTTP requests, by route.")
        .labelNames("method", "route", "status_code")
        .classicUpperBounds(.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30)
        .register(registry);
    receivedSamples = Counter.builder().name("vigil_distributor_received_samples_total")
        .help("Float samples stored from remote write, per tenant.")
        .labelNames("user").register(registry);
    receivedHistograms = Counter.builder().name("vigil_distributor_received_histograms_total")
        .help("Native histogram samples stored from remote write, per tenant.")
        .labelNames("user").register(registry);
    receivedExemplars = Counter.builder().name("vigil_distributor_received_exemplars_total")
        .help("Exemplars stored from remote write and OTLP, per tenant (excluding dropped"
            + " ones, as Mimir's cortex_distributor_received_exemplars_total).")
        .labelNames("user").register(registry);
    discardedExemplars = Counter.builder().name("vigil_discarded_exemplars_total")
        .help("Exemplars dropped at ingest (their samples are kept), per tenant and reason.")
        .labelNames("reason", "user").register(registry);
    discardedSamples = Counter.builder().name("vigil_discarded_samples_total")
        .help("Samples refused at ingest, per tenant and reason.")
        .labelNames("reason", "user").register(registry);
    discardedMetadata = Counter.builder().name("vigil_discarded_metadata_total")
        .help("Metric metadata entries not kept, per tenant and reason.")
        .labelNames("reason", "user").register(registry);
    pushRequests = Counter.builder().name("vigil_distributor_requests_total")
        .help("Remote write requests, per protocol version and answer.")
        .labelNames("version", "status_code").register(registry);
  }

  @Override
  public void finished(String method, String route, int status, long nanos) {
    requestDuration.labelValues(method, route, Integer.toString(status)).observe(nanos / 1e9);
  }

  /** Records one push's outcome. */
  public void push(String tenant, String version, int status, PushStats stats) {
    pushRequests.labelValues(version, Integer.toString(status)).inc();
    if (stats == null) {
      return;
    }
    if (stats.samplesWritten() > 0) {
      receivedSamples.labelValues(tenant).inc(stats.samplesWritten());
    }
    if (stats.histogramsWritten() > 0) {
      receivedHistograms.labelValues(tenant).inc(stats.histogramsWritten());
    }
    if (stats.exemplarsWritten() > 0) {
      receivedExemplars.labelValues(tenant).inc(stats.exemplarsWritten());
    }
    if (stats.exemplarsReceived() > stats.exemplarsWritten()) {
      for (ExemplarRejectReason r : EXEMPLAR_REASONS) {
        long n = stats.exemplarsRejected(r);
        if (n > 0) {
          discardedExemplars.labelValues(r.label(), tenant).inc(n);
        }
      }
    }
    if (stats.rejectedTotal() > 0) {
      for (RejectReason r : REASONS) {
        long n = stats.rejected(r);
        if (n > 0) {
          discardedSamples.labelValues(r.label(), tenant).inc(n);
        }
      }
    }
  }

  /** Metric metadata not kept, per Mimir's reasons ({@code cortex_discarded_metadata_total}). */
  public void discardedMetadata(String tenant, dev.vigil.server.metadata.MetadataStore.Added a) {
    if (a.dropped() == 0) {
      return;
    }
    discardMetadata(tenant, "missing_metric_name", a.missingMetricName());
    discardMetadata(tenant, "metric_name_too_long", a.metricNameTooLong());
    discardMetadata(tenant, "unit_too_long", a.unitTooLong());
    discardMetadata(tenant, "per_user_metadata_limit", a.perUserLimit());
    discardMetadata(tenant, "per_metric_metadata_limit", a.perMetricLimit());
  }

  private void discardMetadata(String tenant, String reason, int n) {
    if (n > 0) {
      discardedMetadata.labelValues(reason, tenant).inc(n);
    }
  }

  /** Samples refused for a reason outside decoding (e.g. {@code rate_limited}). */
  public void discarded(String tenant, String reason, long n) {
    if (n > 0) {
      discardedSamples.labelValues(reason, tenant).inc(n);
    }
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  /** {@code /metrics}: OpenMetrics when the scraper asks for it, else the Prometheus text format. */
  public HttpReply scrape(String accept) throws IOException {
    ExpositionFormatWriter writer = formats.getOpenMetricsTextFormatWriter().accepts(accept)
        ? formats.getOpenMetricsTextFormatWriter()
        : formats.getPrometheusTextFormatWriter();
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    writer.write(out, registry.scrape());
    return new HttpReply(200, writer.getContentType(), out.toByteArray(), List.of());
  }
}
