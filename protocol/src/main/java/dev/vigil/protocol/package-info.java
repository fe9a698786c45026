/**
 * Wire formats spoken by metric senders. Sub-packages own one format each; this package holds
 * nothing but this note. Depends only on the model (and protobuf/snappy), never on storage
 * engines, PromQL or HTTP.
 */
package dev.vigil.protocol;
