package dev.vigil.model.histogram;

/** What a histogram sample says about counter resets relative to the previous sample. */
public enum CounterResetHint {
  UNKNOWN,
  COUNTER_RESET,
  NOT_COUNTER_RESET,
  GAUGE
}
