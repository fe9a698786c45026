package dev.vigil.server.scrape;

import dev.vigil.server.http.Endpoint;
import dev.vigil.server.http.HttpCall;
import dev.vigil.server.http.HttpReply;

/**
 * {@code POST /-/reload} (or PUT), as Prometheus's {@code --web.enable-lifecycle} serves it: 200
 * with an empty body once the configuration is reloaded (the scrape configuration, and the
 * per-tenant limits of the runtime config file), 500 with
 * {@code failed to reload config: <reason>} when it is not (the running configuration stays).
 */
public final class ReloadEndpoint implements Endpoint {
  private final Runnable reload;

  /**
   * @param reload reloads everything reloadable; throws {@link IllegalArgumentException} or
   *     {@link IllegalStateException} with the reason when it cannot
   */
  public ReloadEndpoint(Runnable reload) {
    this.reload = reload;
  }

  @Override
  public HttpReply handle(HttpCall call) {
    try {
      reload.run();
      return HttpReply.empty(200);
    } catch (IllegalArgumentException | IllegalStateException e) {
      return HttpReply.text(500, "failed to reload config: " + e.getMessage());
    }
  }
}
