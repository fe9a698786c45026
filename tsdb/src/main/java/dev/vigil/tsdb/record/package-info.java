/**
 * Payloads of WAL records: series, float samples and histogram samples, with a paired
 * {@link dev.vigil.tsdb.record.RecordEncoder} and {@link dev.vigil.tsdb.record.RecordDecoder}.
 * Depends only on {@code tsdb.encoding} and {@code model}; knows nothing of segments or framing.
 */
package dev.vigil.tsdb.record;
