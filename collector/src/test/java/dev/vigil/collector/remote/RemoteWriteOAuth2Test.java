package dev.vigil.collector.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.vigil.collector.auth.TokenEndpoint;
import dev.vigil.collector.config.ConfigLoader;
import dev.vigil.collector.config.RemoteWriteConfig;
import dev.vigil.protocol.remote.RemoteWriteVersion;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** remote_write with an {@code oauth2} block: tokens fetched, reused, and replaced on 401. */
class RemoteWriteOAuth2Test {
  private TokenEndpoint tokens;
  private HttpServer receiver;
  private volatile int firstValid = 1;
  private final List<String> seen = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws Exception {
    tokens = new TokenEndpoint();
    receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    receiver.createContext("/api/v1/push", ex -> {
      ex.getRequestBody().readAllBytes();
      String auth = ex.getRequestHeaders().getFirst("Authorization");
      seen.add(String.valueOf(auth));
      boolean ok = auth != null && auth.startsWith("Bearer token-")
          && Integer.parseInt(auth.substring("Bearer token-".length())) >= firstValid;
      ex.sendResponseHeaders(ok ? 204 : 401, -1);
      ex.close();
    });
    receiver.start();
  }

  @AfterEach
  void stop() {
    receiver.stop(0);
    tokens.close();
  }

  private RemoteWriteClient client() {
    RemoteWriteConfig cfg = ConfigLoader.load("""
        remote_write:
          - url: http://127.0.0.1:%d/api/v1/push
            oauth2: {client_id: vigil, client_secret: s3cret, token_url: '%s'}
        """.formatted(receiver.getAddress().getPort(), tokens.url())).remoteWrite().getFirst();
    return new RemoteWriteClient(cfg, RemoteWriteVersion.V1, InstantSource.system());
  }

  @Test
  void batchesCarryOneCachedTokenAndA401GetsANewOneBeforeItCounts() {
    byte[] body = {1, 2, 3};
    try (RemoteWriteClient c = client()) {
      assertThat(c.send(body, 3)).isEqualTo(SendOutcome.SENT);
      assertThat(c.send(body, 3)).isEqualTo(SendOutcome.SENT);
      assertThat(tokens.issued()).isEqualTo(1);
      firstValid = 2;
      assertThat(c.send(body, 3)).isEqualTo(SendOutcome.SENT);
      assertThat(seen).containsExactly("Bearer token-1", "Bearer token-1", "Bearer token-1", "Bearer token-2");
      firstValid = 100;
      SendOutcome refused = c.send(body, 3);
      assertThat(refused.kind()).isEqualTo(SendOutcome.Kind.DROP);
      assertThat(refused.status()).isEqualTo(401);
      assertThat(tokens.issued()).isEqualTo(3);
    }
  }

  @Test
  void aTokenEndpointThatIsDownIsRetriedLikeANetworkError() {
    tokens.close();
    try (RemoteWriteClient c = client()) {
      SendOutcome o = c.send(new byte[] {1}, 1);
      assertThat(o.kind()).isEqualTo(SendOutcome.Kind.RETRY);
      assertThat(o.message()).startsWith("oauth2: cannot fetch token: Post \"" + tokens.url() + "\"");
      assertThat(seen).isEmpty();
    }
  }
}
