package dev.vigil.collector.auth;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client-credentials token endpoint on loopback: checks the client's id and secret (in the
 * Basic header or, when {@code paramsOnly}, only in the body) and hands out {@code token-1},
 * {@code token-2}, ... with the {@code expires_in} the test sets. Public for the scrape and
 * remote-write tests.
 */
public final class TokenEndpoint implements AutoCloseable {
  /** One token request as received. */
  public record Request(String authorization, Map<String, String> form) {}

  private final HttpServer server;
  private final AtomicInteger issued = new AtomicInteger();
  public final List<Request> requests = new CopyOnWriteArrayList<>();
  public volatile String clientId = "vigil";
  public volatile String clientSecret = "s3cret";
  public volatile boolean paramsOnly;
  public volatile long expiresIn = 3600;
  public volatile String contentType = "application/json";
  public volatile int status = 200;

  public TokenEndpoint() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/token", ex -> {
      String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      Map<String, String> form = new LinkedHashMap<>();
      for (String pair : body.split("&")) {
        int eq = pair.indexOf('=');
        form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      requests.add(new Request(auth, form));
      String expected = "Basic " + java.util.Base64.getEncoder().encodeToString(
          (clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
      boolean ok = paramsOnly
          ? clientId.equals(form.get("client_id")) && clientSecret.equals(form.get("client_secret"))
          : expected.equals(auth);
      int code = ok ? status : 401;
      String out;
      if (code != 200) {
        out = "{\"error\":\"invalid_client\"}";
      } else if (contentType.startsWith("application/json")) {
        out = "{\"access_token\":\"token-" + issued.incrementAndGet() + "\",\"token_type\":\"bearer\""
            + (expiresIn > 0 ? ",\"expires_in\":" + expiresIn : "") + "}";
      } else {
        out = "access_token=token-" + issued.incrementAndGet() + "&token_type=bearer"
            + (expiresIn > 0 ? "&expires_in=" + expiresIn : "");
      }
      byte[] bytes = out.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", code == 200 ? contentType : "application/json");
      ex.sendResponseHeaders(code, bytes.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(bytes);
      }
    });
    server.start();
  }

  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/token";
  }

  /** Tokens handed out so far. */
  public int issued() {
    return issued.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
