/**
 * Credentials fetched at run time for outgoing requests (scrapes and remote write): the OAuth 2.0
 * client credentials grant of Prometheus's {@code oauth2} block. Depends on the configuration
 * model only; the caller supplies the HTTP client for the token endpoint.
 */
package dev.vigil.collector.auth;
