package dev.freshet.app.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Only signed images roll out: a digest is pinned only when the registry holds a valid cosign
 * signature over it by one of the keys in {@link #keySecret}.
 */
@ValidationRule(
    value = "!has(self.keyless)",
    message =
        "keyless verification (a Fulcio certificate and a Rekor log entry) needs the public"
            + " Sigstore services and is not supported yet; name a Secret of cosign public keys in"
            + " keySecret instead")
@ValidationRule(
    value = "has(self.keySecret) || has(self.keyless)",
    message =
        "verify needs keySecret, the name of a Secret whose *.pub keys are cosign public keys")
@JsonInclude(JsonInclude.Include.NON_NULL)
public class VerifySpec {

  /**
   * A Secret in the App's namespace; every data key ending in {@code .pub} is a cosign public key
   * (PEM), and a signature by any one of them suffices.
   */
  @Size(max = 253)
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  private String keySecret;

  /** Reserved for keyless verification, which is refused until it is supported. */
  private KeylessSpec keyless;

  public String getKeySecret() {
    return keySecret;
  }

  public void setKeySecret(String keySecret) {
    this.keySecret = keySecret;
  }

  public KeylessSpec getKeyless() {
    return keyless;
  }

  public void setKeyless(KeylessSpec keyless) {
    this.keyless = keyless;
  }

  /** The identity a keyless signature's certificate must carry. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class KeylessSpec {
    @Size(max = 1024)
    private String issuer;

    @Size(max = 1024)
    private String subject;

    public String getIssuer() {
      return issuer;
    }

    public void setIssuer(String issuer) {
      this.issuer = issuer;
    }

    public String getSubject() {
      return subject;
    }

    public void setSubject(String subject) {
      this.subject = subject;
    }
  }
}
