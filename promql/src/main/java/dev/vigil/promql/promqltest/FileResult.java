package dev.vigil.promql.promqltest;

import java.util.List;

/**
 * The cases of one script. {@code scriptError} is set when the script itself could not be read
 * (then every eval it has is counted as failed, so nothing disappears from the count).
 */
public record FileResult(String file, List<CaseResult> cases, String scriptError) {
  public FileResult {
    cases = List.copyOf(cases);
  }

  public long passed() {
    return cases.stream().filter(CaseResult::passed).count();
  }

  public long failed() {
    return cases.size() - passed();
  }
}
