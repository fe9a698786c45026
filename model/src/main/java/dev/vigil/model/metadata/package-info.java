/**
 * Metric metadata (type, help, unit) as scrapes and pushes carry it and as
 * {@code /api/v1/metadata} serves it.
 */
package dev.vigil.model.metadata;
