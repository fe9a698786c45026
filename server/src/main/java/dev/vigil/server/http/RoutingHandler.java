package dev.vigil.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The Jetty 12 core handler in front of every endpoint: finds the route, checks the method,
 * adapts the request, writes the reply, and turns unexpected failures into a logged 500 so no
 * request can take the server down. Blocking by design: endpoints read bodies and run queries on
 * the server's thread pool.
 */
public final class RoutingHandler extends Handler.Abstract {
  private static final System.Logger LOG = System.getLogger(RoutingHandler.class.getName());

  private final Routes routes;
  private final RequestObserver observer;
  private final Authenticator authenticator;

  public RoutingHandler(Routes routes, RequestObserver observer) {
    this(routes, observer, Authenticator.NONE);
  }

  public RoutingHandler(Routes routes, RequestObserver observer, Authenticator authenticator) {
    this.routes = routes;
    this.observer = observer;
    this.authenticator = authenticator;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    long start = System.nanoTime();
    String path = Request.getPathInContext(request);
    String method = request.getMethod();
    Routes.Match match = routes.find(path);
    String route = match == null ? "other" : match.name();
    HttpReply reply;
    JettyCall call = null;
    if (match == null) {
      reply = HttpReply.text(404, "404 page not found");
    } else if (!match.methods().contains(method)) {
      reply = HttpReply.text(405, "method " + method + " not allowed on " + path + "; use "
          + String.join(" or ", sorted(match.methods())))
          .withHeaders("Allow", String.join(", ", sorted(match.methods())));
    } else {
      try {
        call = new JettyCall(request, path, match.param());
        reply = match.endpoint().handle(authenticator.authenticate(call));
      } catch (Authenticator.Refused e) {
        reply = e.reply();
      } catch (BodyTooLargeException e) {
        reply = HttpReply.text(413, e.getMessage());
      } catch (IOException e) {
        // The client went away or sent a broken body; nothing to blame on the server.
        reply = HttpReply.text(400, "error reading request body: " + e.getMessage());
      } catch (Exception | StackOverflowError e) {
        LOG.log(System.Logger.Level.ERROR, "BUG: " + method + " " + path + " failed", e);
        reply = HttpReply.text(500, "internal error: " + e);
      }
    }
    if ((call == null || !call.bodyRead) && hasBody(request)) {
      // Answered without reading the request body (refused, unknown route, rejected early):
      // Jetty then closes the connection, racing a client that already reuses it for its next
      // request. Saying so up front makes the client open a new one instead.
      response.getHeaders().put(HttpHeader.CONNECTION, "close");
    }
    response.setStatus(reply.status());
    if (reply.contentType() != null) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
    }
    for (int i = 0; i < reply.headers().size(); i += 2) {
      response.getHeaders().put(reply.headers().get(i), reply.headers().get(i + 1));
    }
    byte[] body = reply.body();
    if (body.length >= GZIP_MIN_BYTES && acceptsGzip(request)) {
      // Range queries answer megabytes of repetitive JSON; Prometheus gzips them too.
      body = gzip(body);
      response.getHeaders().put(HttpHeader.CONTENT_ENCODING, "gzip");
      response.getHeaders().put(HttpHeader.VARY, "Accept-Encoding");
    }
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
    observer.finished(method, route, reply.status(), System.nanoTime() - start);
    response.write(true, ByteBuffer.wrap(body), callback);
    return true;
  }

  private static boolean hasBody(Request request) {
    return request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH) > 0
        || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
  }

  private static final int GZIP_MIN_BYTES = 1024;

  private static boolean acceptsGzip(Request request) {
    String ae = request.getHeaders().get(HttpHeader.ACCEPT_ENCODING);
    return ae != null && ae.toLowerCase(java.util.Locale.ROOT).contains("gzip");
  }

  private static byte[] gzip(byte[] body) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(body.length / 4 + 64);
    try (java.util.zip.GZIPOutputStream gz = new java.util.zip.GZIPOutputStream(out, 8192) {
      {
        def.setLevel(java.util.zip.Deflater.BEST_SPEED); // CPU matters more than bytes here
      }
    }) {
      gz.write(body);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("gzip into memory failed", e);
    }
    return out.toByteArray();
  }

  private static java.util.List<String> sorted(Set<String> s) {
    return s.stream().sorted().toList();
  }

  /** {@link HttpCall} over a Jetty request. */
  private static final class JettyCall implements HttpCall {
    private final Request request;
    private final String path;
    private final String param;
    /** Set once {@link #body} has read the whole body. */
    boolean bodyRead;

    JettyCall(Request request, String path, String param) {
      this.request = request;
      this.path = path;
      this.param = param;
    }

    @Override
    public String method() {
      return request.getMethod();
    }

    @Override
    public String path() {
      return path;
    }

    @Override
    public String query() {
      return request.getHttpURI().getQuery();
    }

    @Override
    public String pathParam() {
      return param;
    }

    @Override
    public String rawPath() {
      return request.getHttpURI().getPath();
    }

    @Override
    public String header(String name) {
      return request.getHeaders().get(name);
    }

    @Override
    public byte[] body(int maxBytes) throws IOException, BodyTooLargeException {
      long announced = request.getLength();
      if (announced > maxBytes) {
        throw new BodyTooLargeException(announced, maxBytes);
      }
      try (InputStream in = Content.Source.asInputStream(request)) {
        byte[] body = in.readNBytes(announced >= 0 ? (int) announced + 1 : maxBytes + 1);
        if (body.length > maxBytes) {
          throw new BodyTooLargeException(-1, maxBytes);
        }
        bodyRead = true;
        return body;
      }
    }
  }
}
