package dev.freshet.receive.sources;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.receive.ImageHint;
import dev.freshet.receive.Verdict;
import java.util.List;

final class ReceiverAssertions {

  private ReceiverAssertions() {}

  static List<ImageHint> hints(Verdict verdict) {
    assertThat(verdict).isInstanceOf(Verdict.Accepted.class);
    return ((Verdict.Accepted) verdict).hints();
  }

  static Verdict.Refused refused(Verdict verdict, int status) {
    assertThat(verdict)
        .isInstanceOfSatisfying(
            Verdict.Refused.class,
            r -> assertThat(r.status()).as("status of refusal '%s'", r.reason()).isEqualTo(status));
    return (Verdict.Refused) verdict;
  }
}
