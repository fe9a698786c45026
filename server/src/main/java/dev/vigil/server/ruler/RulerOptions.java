package dev.vigil.server.ruler;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The ruler's settings, named after Mimir's flags.
 *
 * @param enabled whether rule groups are stored, evaluated and served
 * @param alertmanagers where alerts go ({@code -ruler.alertmanager-url}); empty: nowhere
 * @param externalUrl {@code $externalURL} and generator URLs ({@code -ruler.external.url});
 *     null for none
 * @param evaluationInterval interval of groups that set none
 *     ({@code -ruler.evaluation-interval}, 1m)
 * @param pollInterval how often every tenant's groups are re-read from disk
 *     ({@code -ruler.poll-interval}, 1m); API writes apply at once
 */
public record RulerOptions(boolean enabled, List<URI> alertmanagers, URI externalUrl,
    Duration evaluationInterval, Duration pollInterval) {
  public static final RulerOptions DEFAULTS = new RulerOptions(true, List.of(), null,
      Duration.ofMinutes(1), Duration.ofMinutes(1));

  public RulerOptions {
    alertmanagers = List.copyOf(alertmanagers);
    Objects.requireNonNull(evaluationInterval, "evaluationInterval");
    Objects.requireNonNull(pollInterval, "pollInterval");
    if (!evaluationInterval.isPositive() || !pollInterval.isPositive()) {
      throw new IllegalArgumentException("ruler intervals must be positive");
    }
  }

  public RulerOptions withAlertmanagers(List<URI> urls) {
    return new RulerOptions(enabled, urls, externalUrl, evaluationInterval, pollInterval);
  }
}
