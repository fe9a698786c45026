/**
 * Prometheus's configuration file as far as the collector reads it ({@code global},
 * {@code scrape_configs}, {@code remote_write}), decoded strictly from YAML: unknown fields and
 * bad values are errors with {@code line:column}, defaults flow from {@code global} into each
 * job, and validation messages use Prometheus's wording.
 *
 * <p>Produces immutable records only; must not depend on the scrape loop, HTTP or discovery
 * implementations (they consume these records).
 */
package dev.vigil.collector.config;
