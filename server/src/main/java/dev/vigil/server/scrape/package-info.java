/**
 * Local scraping in {@code vigil server}: the collector's scrape manager appending straight into
 * one tenant's store (no remote write on the way), and the {@code /api/v1/targets} endpoint.
 */
package dev.vigil.server.scrape;
