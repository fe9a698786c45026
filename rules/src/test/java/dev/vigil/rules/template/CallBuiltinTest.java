package dev.vigil.rules.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code call} invokes function values found in the data, with Go's argument checks. */
class CallBuiltinTest {
  private static final TemplateFunction ADD = TemplateFunction.of("add",
      a -> new Value.IntValue(((Value.IntValue) a.get(0)).value()
          + ((Value.IntValue) a.get(1)).value()),
      ParamType.INT, ParamType.INT);

  private static Expansion run(String text) throws TemplateParseException {
    Value data = Value.of(Map.of("add", new Value.FuncValue(ADD)));
    return Template.parse("t", text, Map.of()).execute(data);
  }

  @Test
  void callsFunctionValues() throws TemplateParseException {
    assertThat(run("{{ call .add 1 2 }}")).isEqualTo(new Expansion.Success("3"));
  }

  @Test
  void reportsArityAndTypeErrors() throws TemplateParseException {
    assertThat(run("{{ call .add 1 }}")).isEqualTo(new Expansion.Failure(
        "template: t:1:3: executing \"t\" at <call .add 1>: error calling call: wrong number of "
            + "args for .add: got 1 want 2"));
    assertThat(run("{{ call .missing 1 }}")).isEqualTo(new Expansion.Failure(
        "template: t:1:3: executing \"t\" at <call .missing 1>: error calling call: call of nil"));
  }
}
