/**
 * OTLP metrics over HTTP (protobuf or JSON): parsing the export request and translating it into
 * Prometheus series the way Prometheus's OTLP receiver does (name and unit suffixes,
 * {@code _total}, {@code job}/{@code instance} from the resource, {@code target_info}, classic
 * and native histograms, summaries). Must not depend on HTTP, tenants or a storage engine.
 */
package dev.vigil.protocol.otlp;
