package dev.vigil.collector.relabel;

/**
 * A relabel rule that Prometheus would refuse. The message is Prometheus's own wording, so that
 * users searching for it find Prometheus's documentation and issues.
 */
public final class InvalidRelabelConfigException extends IllegalArgumentException {
  public InvalidRelabelConfigException(String message) {
    super(message);
  }
}
