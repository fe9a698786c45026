/**
 * The Prometheus HTTP API (query, query_range, series, labels, status...) as plain functions
 * from parameters to Prometheus's JSON: parameter parsing, error types and the streaming JSON
 * writer. PromQL is reached only through {@link dev.vigil.server.api.QueryLanguage}; must not
 * depend on Jetty, on a storage engine or on the PromQL engine's internals.
 */
package dev.vigil.server.api;
