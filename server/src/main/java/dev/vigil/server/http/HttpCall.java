package dev.vigil.server.http;

import java.io.IOException;

/** One HTTP request as endpoints see it. Not thread-safe; valid during the call only. */
public interface HttpCall {
  String method();

  /** The decoded path, without query string. */
  String path();

  /**
   * The path as sent, still URL-encoded, so that an encoded {@code /} (%2F) inside a segment
   * can be told from a separator (ruler namespaces may contain slashes).
   */
  default String rawPath() {
    return path();
  }

  /** The raw (still URL-encoded) query string, or null. */
  String query();

  /** The {@code {name}} segment of a templated route (URL-decoded), or null. */
  String pathParam();

  /** A request header, or null. */
  String header(String name);

  /**
   * The whole body, at most {@code maxBytes} long.
   *
   * @throws BodyTooLargeException when the body (or its Content-Length) exceeds the limit
   */
  byte[] body(int maxBytes) throws IOException, BodyTooLargeException;
}
