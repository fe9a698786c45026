package dev.vigil.server.scrape;

import dev.vigil.server.http.Endpoint;
import dev.vigil.server.http.HttpCall;
import dev.vigil.server.http.HttpReply;

/**
 * {@code POST /-/reload} (or PUT), as Prometheus's {@code --web.enable-lifecycle} serves it: 200
 * with an empty body once the scrape configuration is applied, 500 with
 * {@code failed to reload config: <reason>} when it is not (the running configuration stays).
 */
public final class ReloadEndpoint implements Endpoint {
  private final LocalScraping scraping;

  public ReloadEndpoint(LocalScraping scraping) {
    this.scraping = scraping;
  }

  @Override
  public HttpReply handle(HttpCall call) {
    try {
      scraping.reload();
      return HttpReply.empty(200);
    } catch (IllegalArgumentException | IllegalStateException e) {
      return HttpReply.text(500, "failed to reload config: " + e.getMessage());
    }
  }
}
