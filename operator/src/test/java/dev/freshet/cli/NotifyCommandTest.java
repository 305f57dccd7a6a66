package dev.freshet.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * How {@code freshet notify} proves who sends: exactly one of a secret, a token file, the CI's
 * token.
 */
class NotifyCommandTest {

  private static final String[] COMMON = {
    "--url", "http://127.0.0.1:1/hooks/generic", "--image", "registry.example.com/org/app:dev"
  };

  private static NotifyCommand parse(String... proof) {
    NotifyCommand command = new NotifyCommand();
    String[] args = new String[COMMON.length + proof.length];
    System.arraycopy(COMMON, 0, args, 0, COMMON.length);
    System.arraycopy(proof, 0, args, COMMON.length, proof.length);
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void eachProofIsAccepted() {
    assertThat(parse("--secret-file", "hmac.txt").proof.secretFile).hasName("hmac.txt");
    assertThat(parse("--oidc-token-file", "token").proof.tokenFile).hasName("token");
    NotifyCommand fromCi = parse("--oidc");
    assertThat(fromCi.proof.fromEnvironment).isTrue();
    assertThat(fromCi.audience).isEqualTo("freshet");
    assertThat(fromCi.tokenVariable).isEqualTo("FRESHET_ID_TOKEN");
    assertThat(parse("--oidc", "--audience", "https://freshet.example.com").audience)
        .isEqualTo("https://freshet.example.com");
  }

  @Test
  void noProofOrTwoAreRefused() {
    assertThatThrownBy(() -> parse()).isInstanceOf(CommandLine.ParameterException.class);
    assertThatThrownBy(() -> parse("--secret-file", "hmac.txt", "--oidc"))
        .isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("mutually exclusive");
  }

  @Test
  void withoutATokenInTheEnvironmentItFailsSayingHowToGetOne() throws Exception {
    NotifyCommand command = parse("--oidc");
    command.environment = Map.of();
    PrintStream previous = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      assertThat(command.call()).isEqualTo(1);
    } finally {
      System.setErr(previous);
    }
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("id-token: write")
        .contains("FRESHET_ID_TOKEN");
  }
}
