package dev.vigil.server.ingest;

import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.Storage;
import dev.vigil.model.storage.StorageException;
import dev.vigil.protocol.remote.MalformedBodyException;
import dev.vigil.protocol.remote.MetadataSink;
import dev.vigil.protocol.remote.MetricMetadata;
import dev.vigil.protocol.remote.PushStats;
import dev.vigil.protocol.remote.RemoteWriteDecoder;
import dev.vigil.protocol.remote.RemoteWriteVersion;
import dev.vigil.protocol.remote.StringCache;
import dev.vigil.protocol.remote.ValidationLimits;
import dev.vigil.protocol.snappy.SnappyBlockDecoder;
import dev.vigil.protocol.snappy.SnappyFormatException;
import dev.vigil.server.http.BodyTooLargeException;
import dev.vigil.server.http.Endpoint;
import dev.vigil.server.http.HttpCall;
import dev.vigil.server.http.HttpReply;
import dev.vigil.server.limits.IngestionRateLimiter;
import dev.vigil.server.limits.LimitsProvider;
import dev.vigil.server.limits.TenantLimits;
import dev.vigil.server.metadata.TenantMetadata;
import dev.vigil.server.monitoring.ServerMetrics;
import dev.vigil.server.tenant.TenantException;
import dev.vigil.server.tenant.TenantResolver;
import dev.vigil.server.tenant.TenantStorages;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Semaphore;

/**
 * {@code POST /api/v1/push} (and {@code /api/v1/write}): Prometheus remote write 1.0 and 2.0.
 *
 * <p>Answers as Mimir does: 200 when everything was stored; 400 with the first refusal when some
 * series were invalid (the valid ones are stored: senders drop 4xx batches, so refusing them
 * would lose good data); 400 for a body that does not decode (nothing stored); 413 over the
 * size limit; 415 for another Content-Type or Content-Encoding; 500 when storage fails, which
 * senders retry. Remote write 2.0 answers also carry the written counts in
 * {@code X-Prometheus-Remote-Write-*-Written} headers.
 */
public final class PushEndpoint implements Endpoint {
  private static final String SAMPLES_WRITTEN = "X-Prometheus-Remote-Write-Samples-Written";
  private static final String HISTOGRAMS_WRITTEN = "X-Prometheus-Remote-Write-Histograms-Written";
  private static final String EXEMPLARS_WRITTEN = "X-Prometheus-Remote-Write-Exemplars-Written";
  private static final System.Logger LOG = System.getLogger(PushEndpoint.class.getName());

  private final TenantResolver tenants;
  private final IngestionRateLimiter rateLimiter;
  private final TenantStorages storages;
  private final ServerMetrics metrics;
  private final LimitsProvider limits;
  private final TenantMetadata metadata;
  private final int maxMessageBytes;
  /**
   * Decoders with their grown buffers, borrowed per request: a bounded pool rather than a
   * ThreadLocal so idle server threads do not each pin a large decode buffer.
   */
  private final ArrayBlockingQueue<Scratch> pool;
  /**
   * Bounds the pushes being read and decoded at once, and so the memory they hold (each up to
   * twice the message limit): more senders wait on the server's threads instead of growing the
   * heap until it fails.
   */
  private final Semaphore decoding;
  /**
   * Label strings for all decoders: the heads intern the first instance they see, so one
   * instance per string lets their series lookups compare labels by identity.
   */
  private final StringCache strings = new StringCache(1 << 16);

  /** Per-request decoding state; reused across requests through the pool. */
  private static final class Scratch {
    final SnappyBlockDecoder snappy;
    final RemoteWriteDecoder decoder;
    final PushStats stats = new PushStats();
    /** The request's metadata, stored only once its samples are. */
    final ArrayList<MetricMetadata> metadata = new ArrayList<>();
    final MetadataSink metadataSink = metadata::add;

    Scratch(int maxMessageBytes, StringCache strings) {
      snappy = new SnappyBlockDecoder(maxMessageBytes);
      // Limits are passed per call (the tenant's); these are only the decoder's fallback.
      decoder = new RemoteWriteDecoder(ValidationLimits.MIMIR_DEFAULTS, strings);
    }
  }

  /**
   * @param maxMessageBytes limit for the compressed body and for the decoded message (Mimir's
   *     {@code -distributor.max-recv-msg-size}, 100 MiB by default)
   */
  public PushEndpoint(TenantResolver tenants, TenantStorages storages, ServerMetrics metrics,
      LimitsProvider limits, int maxMessageBytes, IngestionRateLimiter rateLimiter,
      TenantMetadata metadata) {
    this.tenants = tenants;
    this.metadata = metadata;
    this.rateLimiter = rateLimiter;
    this.storages = storages;
    this.metrics = metrics;
    this.limits = limits;
    this.maxMessageBytes = maxMessageBytes;
    int cores = Runtime.getRuntime().availableProcessors();
    int concurrent = Math.max(4, 2 * cores);
    // As many scratches as decodes may run at once: a smaller pool made every request beyond
    // it build (and drop) a decoder with fresh buffers and a cold cache.
    this.pool = new ArrayBlockingQueue<>(concurrent);
    this.decoding = new Semaphore(concurrent);
  }

  @Override
  public HttpReply handle(HttpCall call) throws IOException {
    String tenant;
    try {
      tenant = tenants.writeTenant(call.header(TenantResolver.HEADER));
    } catch (TenantException e) {
      return HttpReply.text(e.status(), e.getMessage());
    }
    RemoteWriteVersion version;
    try {
      version = RemoteWriteVersion.fromContentType(call.header("Content-Type"));
    } catch (IllegalArgumentException e) {
      metrics.push(tenant, "unknown", 415, null);
      return HttpReply.text(415, e.getMessage());
    }
    String label = version == RemoteWriteVersion.V1 ? "1.0" : "2.0";
    String encoding = call.header("Content-Encoding");
    if (encoding != null && !encoding.isBlank()
        && !encoding.trim().toLowerCase(Locale.ROOT).equals("snappy")) {
      metrics.push(tenant, label, 415, null);
      return HttpReply.text(415, "unsupported Content-Encoding \"" + encoding
          + "\": remote write bodies must be snappy block-compressed (Content-Encoding: snappy)");
    }
    try {
      decoding.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return HttpReply.text(503, "server is shutting down");
    }
    try {
      return readAndIngest(call, tenant, version, label);
    } finally {
      decoding.release();
    }
  }

  private HttpReply readAndIngest(HttpCall call, String tenant, RemoteWriteVersion version,
      String label) throws IOException {
    byte[] body;
    try {
      body = call.body(maxMessageBytes);
    } catch (BodyTooLargeException e) {
      metrics.push(tenant, label, 413, null);
      return HttpReply.text(413, "the incoming push request has been rejected because its "
          + "message size" + (e.size() >= 0 ? " of " + e.size() + " bytes" : "")
          + " is larger than the allowed limit of " + e.limit()
          + " bytes (err-mimir-distributor-max-write-message-size)");
    }
    Scratch s = pool.poll();
    if (s == null) {
      s = new Scratch(maxMessageBytes, strings);
    }
    try {
      HttpReply reply = ingest(tenant, version, body, s);
      metrics.push(tenant, label, reply.status(), s.stats);
      return reply;
    } finally {
      s.stats.reset();
      s.metadata.clear();
      pool.offer(s);
    }
  }

  private static String formatRate(double r) {
    return r == Math.rint(r) ? Long.toString((long) r) : Double.toString(r);
  }

  private HttpReply ingest(String tenant, RemoteWriteVersion version, byte[] body, Scratch s) {
    try {
      s.snappy.decode(body, 0, body.length);
    } catch (SnappyFormatException e) {
      return HttpReply.text(400, "failed to decompress the remote write body: " + e.getMessage());
    }
    TenantLimits tenantLimits = limits.forTenant(tenant);
    Storage storage = storages.forWrite(tenant);
    Appender app = SeriesLimit.wrap(storage, storage.appender(),
        tenantLimits.maxGlobalSeriesPerUser());
    PushStats stats = s.stats;
    try {
      s.decoder.decode(version, s.snappy.buffer(), 0, s.snappy.length(), app, stats,
          tenantLimits.validation(), s.metadataSink);
    } catch (MalformedBodyException e) {
      app.rollback();
      return HttpReply.text(400, e.getMessage());
    } catch (RuntimeException e) {
      app.rollback();
      throw e;
    }
    // Mimir counts the request against the rate after validation and refuses all of it: nothing
    // is stored, and 429 tells the sender to retry later.
    long accepted = stats.samplesWritten() + stats.histogramsWritten();
    long wait = rateLimiter.tryTake(tenant, accepted, tenantLimits);
    if (wait > 0) {
      app.rollback();
      stats.reset();
      metrics.discarded(tenant, "rate_limited", accepted);
      return HttpReply.text(429, "the request has been rejected because the tenant exceeded the "
          + "ingestion rate limit, set to " + formatRate(tenantLimits.ingestionRate())
          + " items/s with a maximum allowed burst of " + tenantLimits.ingestionBurstSize()
          + " (err-mimir-tenant-max-ingestion-"
          + "rate). To adjust the related per-tenant limit, configure "
          + "-distributor.ingestion-rate-limit, or contact your service administrator.")
          .withHeaders("Retry-After", Long.toString(wait));
    }
    try {
      app.commit();
    } catch (StorageException e) {
      // Durable storage failed (disk full, WAL error): 5xx so the sender retries later.
      LOG.log(System.Logger.Level.ERROR, "commit of push for tenant " + tenant + " failed", e);
      return HttpReply.text(500, "failed to store samples: " + e.getMessage());
    }
    metrics.discardedMetadata(tenant, metadata.add(tenant, s.metadata));
    int status = stats.firstError() == null ? 200 : 400;
    HttpReply reply = status == 200 ? HttpReply.empty(200) : HttpReply.text(400, stats.firstError());
    if (version == RemoteWriteVersion.V2) {
      reply = reply.withHeaders(SAMPLES_WRITTEN, Long.toString(stats.samplesWritten()),
          HISTOGRAMS_WRITTEN, Long.toString(stats.histogramsWritten()),
          EXEMPLARS_WRITTEN, Long.toString(stats.exemplarsWritten()));
    }
    return reply;
  }
}
