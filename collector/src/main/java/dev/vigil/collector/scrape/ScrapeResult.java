package dev.vigil.collector.scrape;

import java.time.Duration;
import java.time.Instant;

/**
 * The outcome of one scrape, as the targets page reports it; {@code error} is empty when the
 * scrape succeeded ({@code up} = 1).
 */
public record ScrapeResult(
    Instant time, Duration duration, String error, int samplesScraped, int samplesPostRelabeling,
    int seriesAdded, int samplesRejected) {
  public boolean up() {
    return error.isEmpty();
  }
}
