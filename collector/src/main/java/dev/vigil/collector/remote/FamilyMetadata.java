package dev.vigil.collector.remote;

import dev.vigil.protocol.remote.MetricMetadata;

/**
 * The metadata of one metric family as a queue knows it from the WAL's metadata records, shared
 * by every series whose newest metadata record says it. {@code series} counts them: a family
 * nobody uses any more (its series changed metadata or left the WAL) is no longer sent. Watcher
 * thread only, except {@link #metadata}, which is immutable.
 */
final class FamilyMetadata {
  final MetricMetadata metadata;
  int series;

  FamilyMetadata(MetricMetadata metadata) {
    this.metadata = metadata;
  }
}
