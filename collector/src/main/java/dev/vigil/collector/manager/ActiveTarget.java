package dev.vigil.collector.manager;

import dev.vigil.model.labels.Labels;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;

/**
 * A scraped target as {@code /api/v1/targets} shows it.
 *
 * @param discoveredLabels labels before relabelling (discovery's plus the job defaults)
 * @param labels the labels its series get
 * @param scrapePool the job name
 * @param scrapeUrl the URL scraped
 * @param globalUrl {@code scrapeUrl} with a localhost host ({@code localhost}, {@code 127.0.0.1},
 *     {@code ::1}) replaced by this machine's name, so that it means something to a reader
 *     elsewhere (Prometheus's {@code globalUrl})
 * @param lastError "" when the last scrape succeeded or none happened yet
 * @param lastScrape start of the last scrape, null before the first
 * @param lastScrapeDuration zero before the first scrape
 */
public record ActiveTarget(
    Labels discoveredLabels,
    Labels labels,
    String scrapePool,
    URI scrapeUrl,
    URI globalUrl,
    String lastError,
    Instant lastScrape,
    Duration lastScrapeDuration,
    TargetHealth health,
    Duration scrapeInterval,
    Duration scrapeTimeout) {}
