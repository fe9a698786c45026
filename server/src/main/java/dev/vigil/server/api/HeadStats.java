package dev.vigil.server.api;

/** What {@code /api/v1/status/tsdb} reports about the in-memory head, when the store has one. */
public record HeadStats(long numSeries, long chunkCount, long minTime, long maxTime) {}
