package dev.vigil.promql.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.promql.parser.Functions;
import org.junit.jupiter.api.Test;

class FunctionTableTest {
  @Test
  void implementsExactlyTheParsersFunctions() {
    assertThat(FunctionTable.all().keySet())
        .containsExactlyInAnyOrderElementsOf(Functions.all().keySet());
  }

  @Test
  void rangeFunctionsTakeARangeArgument() {
    FunctionTable.all().forEach((name, impl) -> {
      if (impl instanceof FunctionImpl.OverRange) {
        assertThat(Functions.byName(name).argTypes())
            .as(name).contains(dev.vigil.promql.parser.ValueType.MATRIX);
      }
    });
  }
}
