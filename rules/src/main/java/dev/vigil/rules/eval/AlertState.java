package dev.vigil.rules.eval;

import java.util.Locale;

/** The state of one alert instance, spelled as the {@code alertstate} label spells it. */
public enum AlertState {
  INACTIVE,
  PENDING,
  FIRING;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
