package dev.vigil.server;

/** Which store holds each tenant's data. */
public enum StorageEngine {
  /** Vigil's TSDB under {@code <data-dir>/tenants/<tenant>/}: durable (WAL), the default. */
  TSDB,
  /** Process memory only: lost on exit. For tests and experiments. */
  MEMORY
}
