/**
 * Prometheus relabelling: the {@code relabel_configs}/{@code metric_relabel_configs} rule model,
 * its validation (with Prometheus's error texts) and the rule engine over {@code Labels}.
 *
 * <p>Runs once per scraped series, so the engine avoids streams, boxing and regex work beyond
 * one match per rule. Depends only on {@code dev.vigil.model.labels}; never on YAML, HTTP or the
 * scrape loop (the config package builds these records from YAML).
 */
package dev.vigil.collector.relabel;
