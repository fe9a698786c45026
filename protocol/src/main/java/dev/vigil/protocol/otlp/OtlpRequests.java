package dev.vigil.protocol.otlp;

import com.google.protobuf.util.JsonFormat;
import dev.vigil.protocol.otlp.pb.ExportMetricsServiceRequest;
import dev.vigil.protocol.otlp.pb.ExportMetricsServiceResponse;
import dev.vigil.protocol.remote.MalformedBodyException;
import java.nio.charset.StandardCharsets;

/** Reads OTLP/HTTP metric export bodies (protobuf or JSON) and writes the matching answers. */
public final class OtlpRequests {
  public static final String PROTOBUF = "application/x-protobuf";
  public static final String JSON = "application/json";

  // JsonFormat parsers are immutable and thread-safe.
  private static final JsonFormat.Parser JSON_PARSER = JsonFormat.parser().ignoringUnknownFields();
  private static final JsonFormat.Printer JSON_PRINTER =
      JsonFormat.printer().omittingInsignificantWhitespace();

  private OtlpRequests() {}

  /** Whether {@code contentType} announces JSON (else protobuf). */
  public static boolean isJson(String contentType) {
    return contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).startsWith(JSON);
  }

  /** Whether {@code contentType} is one OTLP/HTTP defines. */
  public static boolean isSupported(String contentType) {
    if (contentType == null) {
      return false;
    }
    String ct = contentType.toLowerCase(java.util.Locale.ROOT);
    return ct.startsWith(PROTOBUF) || ct.startsWith(JSON);
  }

  public static ExportMetricsServiceRequest parse(byte[] body, int len, boolean json)
      throws MalformedBodyException {
    try {
      if (json) {
        ExportMetricsServiceRequest.Builder b = ExportMetricsServiceRequest.newBuilder();
        JSON_PARSER.merge(new String(body, 0, len, StandardCharsets.UTF_8), b);
        return b.build();
      }
      return ExportMetricsServiceRequest.parseFrom(
          com.google.protobuf.CodedInputStream.newInstance(body, 0, len));
    } catch (java.io.IOException e) {
      // InvalidProtocolBufferException is one; CodedInputStream declares the general case.
      throw new MalformedBodyException("malformed OTLP " + (json ? "JSON" : "protobuf")
          + " ExportMetricsServiceRequest: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      // JsonFormat reports some syntax errors (e.g. bad numbers) as unchecked exceptions.
      throw new MalformedBodyException("malformed OTLP " + (json ? "JSON" : "protobuf")
          + " ExportMetricsServiceRequest: " + e.getMessage(), e);
    }
  }

  /**
   * An OTLP/HTTP error body: a {@code google.rpc.Status} in the request's encoding (the
   * specification's rule), with the gRPC code that matches {@code httpStatus}.
   */
  public static byte[] errorBody(boolean json, int httpStatus, String message) {
    dev.vigil.protocol.otlp.pb.Status status = dev.vigil.protocol.otlp.pb.Status.newBuilder()
        .setCode(grpcCode(httpStatus)).setMessage(message).build();
    if (!json) {
      return status.toByteArray();
    }
    try {
      return JSON_PRINTER.print(status).getBytes(StandardCharsets.UTF_8);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException("a Status without Any details always prints", e);
    }
  }

  /**
   * The google.rpc.Code of an HTTP answer, as Mimir's OTLP handler pairs them: bad data and
   * size/encoding refusals are INVALID_ARGUMENT (3), rate limits RESOURCE_EXHAUSTED (8),
   * 401 UNAUTHENTICATED (16), 403 PERMISSION_DENIED (7), 503 UNAVAILABLE (14), other server
   * errors INTERNAL (13).
   */
  public static int grpcCode(int httpStatus) {
    return switch (httpStatus) {
      case 401 -> 16;
      case 403 -> 7;
      case 429 -> 8;
      case 503 -> 14;
      default -> httpStatus >= 500 ? 13 : 3;
    };
  }

  /** An empty (fully successful) export answer in the request's encoding. */
  public static byte[] successBody(boolean json) {
    return json ? "{}".getBytes(StandardCharsets.UTF_8)
        : ExportMetricsServiceResponse.getDefaultInstance().toByteArray();
  }
}
