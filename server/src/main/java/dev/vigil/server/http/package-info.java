/**
 * The HTTP edge: a Jetty 12 core handler that routes paths to endpoints, reads bodies with size
 * limits and writes replies, timing every request. Endpoints see only {@link
 * dev.vigil.server.http.HttpCall} and answer {@link dev.vigil.server.http.HttpReply}, never Jetty
 * types. Must not depend on storage engines or PromQL.
 */
package dev.vigil.server.http;
