package dev.freshet.update;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A pull secret is read only by a Secret's name, in the workload's namespace: a {@code
 * namespace/name} reference is refused as a Secret of another namespace, and anything else that
 * could not be a Secret's name (and would change the meaning of the URL it is read at) is refused.
 */
class PullSecretRefusedTest {

  @ParameterizedTest
  @ValueSource(strings = {"regcred", "reg-cred.v2", "a", "0"})
  void aSecretsNamePasses(String name) {
    assertThatCode(() -> PullSecretRefused.check("team-a", name, "imagePullSecrets"))
        .doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {"kube-system/regcred", "../../kube-system/secrets/regcred", "a/b/c"})
  void aReferenceToAnotherNamespaceIsRefusedAndSaysSo(String name) {
    assertThatThrownBy(() -> PullSecretRefused.check("team-a", name, "imagePullSecrets"))
        .isInstanceOf(PullSecretRefused.class)
        .hasMessageStartingWith("imagePullSecrets names \"" + name + "\", a Secret in another")
        .hasMessageContaining("only in the workload's own namespace (team-a)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "RegCred", "regcred#other", "regcred?watch=true", "-a", "a.", "é"})
  void whatCannotBeASecretsNameIsRefused(String name) {
    assertThatThrownBy(
            () ->
                PullSecretRefused.check(
                    "team-a", name, "the imagePullSecrets of service account x"))
        .isInstanceOf(PullSecretRefused.class)
        .hasMessageContaining("which is not a Secret's name");
  }

  @org.junit.jupiter.api.Test
  void aMissingNameIsRefused() {
    assertThatThrownBy(() -> PullSecretRefused.check("team-a", null, "imagePullSecrets"))
        .isInstanceOf(PullSecretRefused.class);
  }

  @org.junit.jupiter.api.Test
  void aNameAsLongAsASecretsMayBePasses() {
    assertThatCode(() -> PullSecretRefused.check("team-a", "x".repeat(253), "imagePullSecrets"))
        .doesNotThrowAnyException();
  }

  @org.junit.jupiter.api.Test
  void aNameLongerThanASecretsIsRefused() {
    assertThatThrownBy(() -> PullSecretRefused.check("team-a", "x".repeat(254), "imagePullSecrets"))
        .isInstanceOf(PullSecretRefused.class)
        .hasMessageContaining("…");
  }
}
