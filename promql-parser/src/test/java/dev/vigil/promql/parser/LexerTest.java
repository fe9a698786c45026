package dev.vigil.promql.parser;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Prometheus's lex_test.go cases: same tokens, same offsets (in UTF-8 bytes), same failures. */
class LexerTest {

  static Stream<Arguments> cases() {
    return Fixtures.read("lexer.txt").stream()
        .map(r -> Arguments.argumentSet("lexer.txt:" + r.line() + " " + r.field(0),
            r.field(0), r.fields().subList(1, r.fields().size())));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void lexesLikePrometheus(String input, List<String> expected) {
    List<Token> tokens = Lexer.lex(input);
    if (expected.equals(List.of("FAIL"))) {
      assertThat(tokens.getLast().type()).isEqualTo(TokenType.ERROR);
      return;
    }
    // Prometheus's lexer goes on after an error inside a string; Vigil's stops at the first
    // error, which is all the parser ever reads.
    int firstError = -1;
    for (int i = 0; i < expected.size(); i++) {
      if (expected.get(i).startsWith("ERROR ")) {
        firstError = i;
        break;
      }
    }
    if (firstError >= 0) {
      expected = expected.subList(0, firstError + 1);
    }
    boolean endsWithError = firstError >= 0;
    assertThat(tokens.getLast().type()).as("%s", tokens.getLast())
        .isEqualTo(endsWithError ? TokenType.ERROR : TokenType.EOF);
    List<String> actual = new ArrayList<>();
    for (Token t : endsWithError ? tokens : tokens.subList(0, tokens.size() - 1)) {
      String type = t.type() == TokenType.AGGREGATOR
          ? t.val().toUpperCase(Locale.ROOT) : t.type().name();
      int bytePos = input.substring(0, t.pos()).getBytes(StandardCharsets.UTF_8).length;
      actual.add(type + " " + bytePos + " " + t.val());
    }
    assertThat(actual).isEqualTo(expected);
  }
}
