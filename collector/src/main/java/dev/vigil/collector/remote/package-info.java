/**
 * The durable remote-write sender: a WAL-backed {@code Appendable} ({@link
 * dev.vigil.collector.remote.RemoteStorage}) whose commits are the acknowledgement, one watcher
 * per endpoint tailing that WAL, and a sharded queue per endpoint that sends remote write 1.0 or
 * 2.0 with retries, persisting how far it got. Buffer layout: {@code FORMAT.md} in this package.
 *
 * <p>Must not depend on scraping or discovery: they feed it through the model's
 * {@code Appendable}.
 */
package dev.vigil.collector.remote;
