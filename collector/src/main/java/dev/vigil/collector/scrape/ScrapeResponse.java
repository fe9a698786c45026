package dev.vigil.collector.scrape;

/** A fetched, decompressed body and its declared content type (may be empty). */
public record ScrapeResponse(byte[] body, String contentType) {}
