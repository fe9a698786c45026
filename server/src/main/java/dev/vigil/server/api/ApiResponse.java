package dev.vigil.server.api;

import java.nio.charset.StandardCharsets;

/** A finished API answer: HTTP status and a JSON body. */
public record ApiResponse(int status, byte[] body) {
  public static final String CONTENT_TYPE = "application/json";

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
