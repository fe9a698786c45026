package dev.vigil.server.ingest;

import dev.vigil.model.storage.Appender;
import dev.vigil.model.storage.StorageException;
import dev.vigil.protocol.otlp.OtlpRequests;
import dev.vigil.protocol.otlp.OtlpTranslator;
import dev.vigil.protocol.otlp.pb.ExportMetricsServiceRequest;
import dev.vigil.protocol.remote.MalformedBodyException;
import dev.vigil.protocol.remote.PushStats;
import dev.vigil.server.http.BodyTooLargeException;
import dev.vigil.server.http.Endpoint;
import dev.vigil.server.http.HttpCall;
import dev.vigil.server.http.HttpReply;
import dev.vigil.server.limits.IngestionRateLimiter;
import dev.vigil.server.limits.LimitsProvider;
import dev.vigil.server.limits.TenantLimits;
import dev.vigil.server.monitoring.ServerMetrics;
import dev.vigil.server.tenant.TenantException;
import dev.vigil.server.tenant.TenantResolver;
import dev.vigil.server.tenant.TenantStorages;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * {@code POST /otlp/v1/metrics}: OTLP/HTTP metrics, protobuf or JSON, plain or gzip, translated
 * to Prometheus series (see {@link OtlpTranslator}). Answers like the remote-write endpoint:
 * 200 with an empty export response when everything was stored, 400 with the first refusal
 * (valid points are stored), 413/415 for size and encoding, 429 over the ingestion rate, 500
 * when storage fails. Error bodies are {@code google.rpc.Status} messages in the request's
 * encoding (OTLP/HTTP). Metrics the translator cannot convert (delta temporality, as in
 * Prometheus and Mimir) are dropped and counted; only when nothing could be converted is the
 * request refused (400, with the reasons), as Mimir does.
 */
public final class OtlpEndpoint implements Endpoint {
  private static final System.Logger LOG = System.getLogger(OtlpEndpoint.class.getName());

  private final TenantResolver tenants;
  private final TenantStorages storages;
  private final ServerMetrics metrics;
  private final LimitsProvider limits;
  private final int maxMessageBytes;
  private final IngestionRateLimiter rateLimiter;
  private final dev.vigil.server.metadata.TenantMetadata metadata;

  public OtlpEndpoint(TenantResolver tenants, TenantStorages storages, ServerMetrics metrics,
      LimitsProvider limits, int maxMessageBytes, IngestionRateLimiter rateLimiter,
      dev.vigil.server.metadata.TenantMetadata metadata) {
    this.metadata = metadata;
    this.tenants = tenants;
    this.storages = storages;
    this.metrics = metrics;
    this.limits = limits;
    this.maxMessageBytes = maxMessageBytes;
    this.rateLimiter = rateLimiter;
  }

  @Override
  public HttpReply handle(HttpCall call) throws IOException {
    String tenant;
    try {
      tenant = tenants.writeTenant(call.header(TenantResolver.HEADER));
    } catch (TenantException e) {
      return HttpReply.text(e.status(), e.getMessage());
    }
    String ct = call.header("Content-Type");
    if (!OtlpRequests.isSupported(ct)) {
      metrics.push(tenant, "otlp", 415, null);
      return error(415, "unsupported Content-Type \"" + ct + "\": OTLP/HTTP expects "
          + OtlpRequests.PROTOBUF + " or " + OtlpRequests.JSON, false);
    }
    boolean json = OtlpRequests.isJson(ct);
    String encoding = call.header("Content-Encoding");
    boolean gzip = encoding != null && encoding.trim().toLowerCase(Locale.ROOT).equals("gzip");
    if (encoding != null && !encoding.isBlank() && !gzip
        && !encoding.trim().equalsIgnoreCase("identity")) {
      metrics.push(tenant, "otlp", 415, null);
      return error(415, "unsupported Content-Encoding \"" + encoding
          + "\": OTLP/HTTP bodies may be gzip-compressed or plain", json);
    }
    byte[] body;
    try {
      body = call.body(maxMessageBytes);
      if (gzip) {
        body = gunzip(body);
      }
    } catch (BodyTooLargeException e) {
      metrics.push(tenant, "otlp", 413, null);
      return error(413, "the incoming OTLP request has been rejected because its "
          + "size is larger than the allowed limit of " + maxMessageBytes + " bytes "
          + "(err-mimir-distributor-max-otlp-request-size)", json);
    } catch (ZipException | java.io.EOFException e) {
      metrics.push(tenant, "otlp", 400, null);
      return error(400, "failed to gunzip the OTLP body: " + e.getMessage(), json);
    }
    ExportMetricsServiceRequest req;
    try {
      req = OtlpRequests.parse(body, body.length, json);
    } catch (MalformedBodyException e) {
      metrics.push(tenant, "otlp", 400, null);
      return error(400, e.getMessage(), json);
    }
    TenantLimits tenantLimits = limits.forTenant(tenant);
    PushStats stats = new PushStats();
    var pendingMetadata = new java.util.ArrayList<dev.vigil.protocol.remote.MetricMetadata>();
    dev.vigil.model.storage.Storage storage = storages.forWrite(tenant);
    Appender app = SeriesLimit.wrap(storage, storage.appender(),
        tenantLimits.maxGlobalSeriesPerUser());
    OtlpTranslator translator = new OtlpTranslator(tenantLimits.validation());
    try {
      translator.translate(req, app, stats, pendingMetadata::add);
    } catch (RuntimeException e) {
      app.rollback();
      throw e;
    }
    long accepted = stats.samplesWritten() + stats.histogramsWritten();
    long wait = rateLimiter.tryTake(tenant, accepted, tenantLimits);
    if (wait > 0) {
      app.rollback();
      metrics.discarded(tenant, "rate_limited", accepted);
      metrics.push(tenant, "otlp", 429, null);
      return error(429, "the request has been rejected because the tenant exceeded the "
          + "ingestion rate limit (err-mimir-tenant-max-ingestion-rate)", json)
          .withHeaders("Retry-After", Long.toString(wait));
    }
    try {
      app.commit();
    } catch (StorageException e) {
      LOG.log(System.Logger.Level.ERROR, "commit of OTLP push for tenant " + tenant + " failed",
          e);
      metrics.push(tenant, "otlp", 500, null);
      return error(500, "failed to store samples: " + e.getMessage(), json);
    }
    metrics.discardedMetadata(tenant, metadata.add(tenant, pendingMetadata));
    // As Mimir: what the translator could not convert (delta temporality...) is dropped and
    // counted; only a request of which nothing could be converted is refused with the reasons.
    String refusal = stats.firstError();
    if (refusal == null && accepted == 0 && !translator.parseErrors().isEmpty()) {
      refusal = String.join("; ", translator.parseErrors());
    }
    int status = refusal == null ? 200 : 400;
    metrics.push(tenant, "otlp", status, stats);
    if (status == 400) {
      return error(400, refusal, json);
    }
    return new HttpReply(200, json ? OtlpRequests.JSON : OtlpRequests.PROTOBUF,
        OtlpRequests.successBody(json), List.of());
  }

  /**
   * An OTLP/HTTP error answer: a {@code google.rpc.Status} in the request's encoding (protobuf
   * when it is unknown), as the OTLP/HTTP specification and Mimir answer.
   */
  private static HttpReply error(int status, String message, boolean json) {
    return new HttpReply(status, json ? OtlpRequests.JSON : OtlpRequests.PROTOBUF,
        OtlpRequests.errorBody(json, status, message), List.of());
  }

  /** Inflates with the same size limit as the wire body, so a small bomb cannot fill the heap. */
  private byte[] gunzip(byte[] body) throws IOException, BodyTooLargeException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body), 8192)) {
      byte[] out = in.readNBytes(maxMessageBytes + 1);
      if (out.length > maxMessageBytes) {
        throw new BodyTooLargeException(-1, maxMessageBytes);
      }
      return out;
    }
  }
}
