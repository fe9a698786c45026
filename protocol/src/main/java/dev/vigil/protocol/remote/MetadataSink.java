package dev.vigil.protocol.remote;

/**
 * Receives the metric metadata a push carries. Decoders call it while decoding, before the
 * caller knows whether the push will be accepted: sinks that store must buffer until then.
 */
@FunctionalInterface
public interface MetadataSink {
  /** A sink that drops everything (metadata is then only counted). */
  MetadataSink NONE = m -> { };

  void accept(MetricMetadata metadata);
}
