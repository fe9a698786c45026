/**
 * Prometheus remote write 1.0 and 2.0: content negotiation, validation limits and a streaming
 * decoder that turns a request body into appends on a model {@code Appender}. The generated
 * messages ({@code .v1.pb}, {@code .v2.pb}) are for senders and tests; the decoder reads the wire
 * format directly. Must not depend on HTTP, tenants or a particular storage engine.
 */
package dev.vigil.protocol.remote;
