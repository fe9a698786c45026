/**
 * PromQL behind the API's {@link dev.vigil.server.api.QueryLanguage} seam: the parser and the
 * engine of the promql modules, their errors mapped to Prometheus's API error types, and the
 * parse_query tree. Must not depend on HTTP, tenants or a storage engine.
 */
package dev.vigil.server.query;
