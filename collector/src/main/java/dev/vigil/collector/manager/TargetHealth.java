package dev.vigil.collector.manager;

/** A target's state as Prometheus's targets API names it. */
public enum TargetHealth {
  /** The last scrape succeeded. */
  UP("up"),
  /** The last scrape failed; {@code lastError} says why. */
  DOWN("down"),
  /** Not scraped yet. */
  UNKNOWN("unknown");

  private final String apiName;

  TargetHealth(String apiName) {
    this.apiName = apiName;
  }

  public String apiName() {
    return apiName;
  }
}
