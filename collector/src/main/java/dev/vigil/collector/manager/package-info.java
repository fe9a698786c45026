/**
 * Runs the scrape side of a Prometheus configuration: one {@code ScrapePool} per job fed by the
 * job's service discoveries (static, file, Kubernetes), reloads that restart only the jobs whose
 * configuration changed, and the targets view behind {@code /api/v1/targets}. Prometheus's
 * {@code scrape.Manager} plus {@code discovery.Manager}, without the update throttling: groups
 * go to the pool as they arrive.
 */
package dev.vigil.collector.manager;
