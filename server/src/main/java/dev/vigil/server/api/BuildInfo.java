package dev.vigil.server.api;

/**
 * What {@code /api/v1/status/buildinfo} reports. Grafana treats a data source whose answer has
 * {@code application: "Grafana Mimir"} and a {@code features} object as Mimir, and offers rule
 * editing only when {@code ruler_config_api} is {@code "true"}: set it once the ruler config API
 * is served.
 */
public record BuildInfo(String version, String revision, String branch, String buildDate,
    boolean rulerConfigApi, boolean alertmanagerConfigApi) {
  /** The application name Grafana looks for to recognise a Mimir-compatible backend. */
  public static final String APPLICATION = "Grafana Mimir";
}
