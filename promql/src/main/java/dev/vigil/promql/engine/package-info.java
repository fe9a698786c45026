/**
 * The PromQL evaluator: {@link dev.vigil.promql.engine.Engine} runs instant and range queries
 * over a {@link dev.vigil.model.storage.Queryable} with Prometheus's semantics (lookback,
 * staleness, delayed name removal, offset/@, subquery alignment, vector matching, limits).
 * Reads storage only through the model interfaces; must never depend on tsdb.
 */
package dev.vigil.promql.engine;
