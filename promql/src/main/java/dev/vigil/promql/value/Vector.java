package dev.vigil.promql.value;

import java.util.List;

/** An instant vector: samples that share one evaluation timestamp. */
public record Vector(List<Sample> samples) implements Value {
  public Vector {
    samples = List.copyOf(samples);
  }
}
