/**
 * Exemplars: samples of individual events (a trace id and its value) attached to a series, as
 * OpenMetrics, remote write and OTLP carry them.
 */
package dev.vigil.model.exemplar;
