package dev.vigil.model.storage;

/** Something series can be read from: the TSDB, a tenant, an in-memory store. */
public interface Queryable {
  /** A querier over samples with timestamps in {@code [minT, maxT]} (milliseconds). */
  Querier querier(long minT, long maxT);
}
