package dev.vigil.protocol.remote;

import java.util.Locale;

/**
 * The two remote write protocols and how a request announces them: the {@code proto} parameter of
 * {@code Content-Type}, with {@code X-Prometheus-Remote-Write-Version} only informative (as
 * Prometheus's receiver does).
 */
public enum RemoteWriteVersion {
  /** Remote write 1.0: {@code prometheus.WriteRequest}. */
  V1("prometheus.WriteRequest", "0.1.0"),
  /** Remote write 2.0: {@code io.prometheus.write.v2.Request}. */
  V2("io.prometheus.write.v2.Request", "2.0.0");

  public static final String PROTOBUF = "application/x-protobuf";

  private final String protoMessage;
  private final String headerVersion;

  RemoteWriteVersion(String protoMessage, String headerVersion) {
    this.protoMessage = protoMessage;
    this.headerVersion = headerVersion;
  }

  /** The fully qualified protobuf message name used in {@code Content-Type: ...;proto=}. */
  public String protoMessage() {
    return protoMessage;
  }

  /** The value of {@code X-Prometheus-Remote-Write-Version} senders of this version send. */
  public String headerVersion() {
    return headerVersion;
  }

  /** The canonical Content-Type of this version. */
  public String contentType() {
    return this == V1 ? PROTOBUF : PROTOBUF + ";proto=" + protoMessage;
  }

  /**
   * The version a {@code Content-Type} header announces. A missing header or a bare
   * {@code application/x-protobuf} means 1.0, as the specification says.
   *
   * @throws IllegalArgumentException for another media type or an unknown {@code proto}; the
   *     message is meant for the sender (answer 415)
   */
  public static RemoteWriteVersion fromContentType(String contentType) {
    if (contentType == null || contentType.isBlank()) {
      return V1;
    }
    String[] parts = contentType.split(";");
    String media = parts[0].trim().toLowerCase(Locale.ROOT);
    if (!media.equals(PROTOBUF)) {
      throw new IllegalArgumentException("unsupported Content-Type " + quote(contentType)
          + ": remote write expects " + PROTOBUF + " (with proto=" + V1.protoMessage + " or proto="
          + V2.protoMessage + ")");
    }
    for (int i = 1; i < parts.length; i++) {
      String p = parts[i].trim();
      int eq = p.indexOf('=');
      if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase("proto")) {
        String proto = p.substring(eq + 1).trim();
        if (proto.length() >= 2 && proto.startsWith("\"") && proto.endsWith("\"")) {
          proto = proto.substring(1, proto.length() - 1);
        }
        for (RemoteWriteVersion v : values()) {
          if (v.protoMessage.equals(proto)) {
            return v;
          }
        }
        throw new IllegalArgumentException("unsupported proto " + quote(proto) + " in Content-Type: "
            + "expected " + V1.protoMessage + " or " + V2.protoMessage);
      }
    }
    return V1;
  }

  private static String quote(String s) {
    return "\"" + s + "\"";
  }
}
