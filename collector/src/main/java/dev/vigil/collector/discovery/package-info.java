/**
 * Service discovery: turns a job's {@code static_configs} and {@code *_sd_configs} into
 * {@link dev.vigil.collector.discovery.TargetGroup}s for its scrape pool. Discovery only reports
 * targets; it must not depend on the scrape, relabel or storage packages.
 */
package dev.vigil.collector.discovery;
