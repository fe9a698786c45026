/**
 * Ready-made scrape configurations. {@code KubernetesPreset} is what Grafana Alloy's
 * k8s-monitoring chart collects (same job names and target labels), written as a plain
 * Prometheus {@code scrape_configs} file so that it can be printed, edited and loaded back.
 */
package dev.vigil.collector.preset;
