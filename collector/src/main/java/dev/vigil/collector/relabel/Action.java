package dev.vigil.collector.relabel;

import java.util.Locale;

/** A relabelling action, named as in Prometheus's configuration. */
public enum Action {
  REPLACE("replace"),
  KEEP("keep"),
  DROP("drop"),
  KEEPEQUAL("keepequal"),
  DROPEQUAL("dropequal"),
  HASHMOD("hashmod"),
  LABELMAP("labelmap"),
  LABELDROP("labeldrop"),
  LABELKEEP("labelkeep"),
  LOWERCASE("lowercase"),
  UPPERCASE("uppercase");

  private final String configName;

  Action(String configName) {
    this.configName = configName;
  }

  /** The name used in YAML ({@code replace}, {@code labelmap}, ...). */
  public String configName() {
    return configName;
  }

  /**
   * Parses an action name case-insensitively, as Prometheus does.
   *
   * @throws InvalidRelabelConfigException {@code unknown relabel action "X"}
   */
  public static Action parse(String s) {
    String lower = s.toLowerCase(Locale.ROOT);
    for (Action a : values()) {
      if (a.configName.equals(lower)) {
        return a;
      }
    }
    throw new InvalidRelabelConfigException("unknown relabel action " + GoQuote.quote(s));
  }

  @Override
  public String toString() {
    return configName;
  }
}
