package dev.vigil.rules.eval;

import dev.vigil.model.labels.Labels;
import java.net.URI;

/**
 * Settings shared by every group of a ruler.
 *
 * @param externalLabels {@code $externalLabels} in templates
 * @param externalUrl {@code $externalURL}, {@code externalURL} and {@code pathPrefix}
 * @param defaultQueryOffsetMillis query offset of groups that set none ({@code
 *     rule_query_offset})
 * @param resolvedRetentionMillis how long a resolved alert is kept (and re-sent); Prometheus: 15m
 */
public record RuleEvalOptions(
    Labels externalLabels, URI externalUrl, long defaultQueryOffsetMillis,
    long resolvedRetentionMillis) {
  public static final long DEFAULT_RESOLVED_RETENTION_MILLIS = 15 * 60_000;

  public static RuleEvalOptions defaults() {
    return new RuleEvalOptions(Labels.EMPTY, URI.create(""), 0, DEFAULT_RESOLVED_RETENTION_MILLIS);
  }

  public RuleEvalOptions withExternal(Labels labels, URI url) {
    return new RuleEvalOptions(labels, url, defaultQueryOffsetMillis, resolvedRetentionMillis);
  }
}
