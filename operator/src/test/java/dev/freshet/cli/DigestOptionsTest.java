package dev.freshet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A mistyped digest is refused before anything is asked of a cluster (none runs here), with exit
 * code 2 and the registry parser's reason.
 */
class DigestOptionsTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          approve web --digest sha256:abc
          rollback web --to latest
          rollback deploy/web --to sha256:XYZ
          unquarantine web sha256:1234
          """)
  void aMistypedDigestIsRefusedWithExitCodeTwo(String line) {
    var err = new StringWriter();
    int exit =
        new picocli.CommandLine(new Main())
            .setErr(new PrintWriter(err, true))
            .execute(line.split(" "));

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).containsIgnoringCase("invalid value").contains("digest");
  }

  @Test
  void aWellFormedDigestPassesTheOption() {
    String digest = "sha256:" + "a".repeat(64);
    assertThat(new DigestConverter().convert(digest)).isEqualTo(digest);
  }
}
