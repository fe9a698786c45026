package dev.vigil.server.http;

/** Told about every finished request (for metrics); must be cheap and thread-safe. */
@FunctionalInterface
public interface RequestObserver {
  void finished(String method, String route, int status, long nanos);
}
