/**
 * {@code vigil server}: wires Jetty, the endpoints, tenancy, storage and PromQL into one
 * process ({@link dev.vigil.server.VigilServer}). Everything is per instance: two servers run
 * side by side in one JVM. Must not depend on the CLI (app) or the collector.
 */
package dev.vigil.server;
