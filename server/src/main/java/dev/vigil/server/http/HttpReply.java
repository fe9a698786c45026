package dev.vigil.server.http;

import java.nio.charset.StandardCharsets;
import java.util.List;

/** What an endpoint answers: status, content type, body and extra headers (name, value pairs). */
public record HttpReply(int status, String contentType, byte[] body, List<String> headers) {
  public static final String TEXT = "text/plain; charset=utf-8";
  public static final String JSON = "application/json";

  public HttpReply {
    headers = List.copyOf(headers);
    if (headers.size() % 2 != 0) {
      throw new IllegalArgumentException("headers must be name/value pairs");
    }
  }

  /** A plain-text answer; a trailing newline is added as Go's {@code http.Error} does. */
  public static HttpReply text(int status, String message) {
    return new HttpReply(status, TEXT, (message + "\n").getBytes(StandardCharsets.UTF_8),
        List.of());
  }

  public static HttpReply json(int status, byte[] body) {
    return new HttpReply(status, JSON, body, List.of());
  }

  public static HttpReply empty(int status) {
    return new HttpReply(status, null, new byte[0], List.of());
  }

  public HttpReply withHeaders(String... nameValues) {
    List<String> all = new java.util.ArrayList<>(headers);
    all.addAll(List.of(nameValues));
    return new HttpReply(status, contentType, body, all);
  }
}
