package dev.vigil.collector.scrape;

/**
 * Why a scrape failed: the target's fault (HTTP status, body, limits) or the network's. The
 * message is what the targets page shows as {@code lastError}, worded like Prometheus's.
 */
public final class ScrapeException extends Exception {
  public ScrapeException(String message) {
    super(message);
  }

  public ScrapeException(String message, Throwable cause) {
    super(message, cause);
  }
}
