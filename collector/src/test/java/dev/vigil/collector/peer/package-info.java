/**
 * Test support for differential tests against Debian's Prometheus binaries: starting them on free
 * loopback ports, replaying one captured scrape body to both scrapers, reading Prometheus's API.
 */
package dev.vigil.collector.peer;
