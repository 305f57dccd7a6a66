package dev.freshet.receive.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where {@code freshet notify} finds the CI job's OIDC token: a file ({@code --oidc-token-file}),
 * or the CI's environment ({@code --oidc}):
 *
 * <ul>
 *   <li>GitHub Actions (with {@code permissions: id-token: write}): the runner sets {@code
 *       ACTIONS_ID_TOKEN_REQUEST_URL} and {@code ACTIONS_ID_TOKEN_REQUEST_TOKEN}; a GET of that URL
 *       with {@code &audience=<audience>} and the request token as bearer answers {@code {"value":
 *       "<JWT>"}}.
 *   <li>GitLab CI: {@code id_tokens: FRESHET_ID_TOKEN: aud: freshet} puts the token in that
 *       variable; {@code --oidc-env} names another.
 * </ul>
 *
 * Only the token's shape is checked here; the receiver verifies it.
 */
public final class CiToken {

  /** GitHub Actions' variables for requesting a job token. */
  public static final String GITHUB_URL = "ACTIONS_ID_TOKEN_REQUEST_URL";

  public static final String GITHUB_REQUEST_TOKEN = "ACTIONS_ID_TOKEN_REQUEST_TOKEN";

  /** The GitLab {@code id_tokens} variable read by default. */
  public static final String DEFAULT_ENV = "FRESHET_ID_TOKEN";

  public static final String DEFAULT_AUDIENCE = "freshet";

  private static final Pattern JWS = Pattern.compile("[\\w-]+\\.[\\w-]+\\.[\\w-]*");
  private static final int MAX_LENGTH = 64 * 1024;

  private CiToken() {}

  /** Reads a token file (one line). */
  public static String fromFile(Path file) throws IOException {
    String token = Files.readString(file, StandardCharsets.UTF_8).strip();
    if (token.isEmpty()) {
      throw new IOException("the token file " + file + " is empty");
    }
    return token;
  }

  /**
   * The job's token from the CI's environment: GitHub Actions' token service if its variables are
   * set, else the variable {@code envName}.
   *
   * @throws IOException saying what was missing or what the token service answered
   */
  public static String fromEnvironment(
      Map<String, String> env, String audience, String envName, HttpClient http)
      throws IOException, InterruptedException {
    String url = env.get(GITHUB_URL);
    String requestToken = env.get(GITHUB_REQUEST_TOKEN);
    if (url != null && !url.isBlank() && requestToken != null && !requestToken.isBlank()) {
      return fromGitHub(URI.create(url), requestToken, audience, http);
    }
    String token = env.get(envName);
    if (token != null && !token.isBlank()) {
      return token.strip();
    }
    throw new IOException(
        "no OIDC token in the environment: on GitHub Actions give the job"
            + " 'permissions: id-token: write' (then "
            + GITHUB_URL
            + " is set); on GitLab CI declare 'id_tokens: "
            + envName
            + ": aud: "
            + audience
            + "'");
  }

  private static String fromGitHub(URI url, String requestToken, String audience, HttpClient http)
      throws IOException, InterruptedException {
    String separator = url.getRawQuery() == null ? "?" : "&";
    URI withAudience =
        URI.create(
            url + separator + "audience=" + URLEncoder.encode(audience, StandardCharsets.UTF_8));
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(withAudience)
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "bearer " + requestToken)
                .header("Accept", "application/json; api-version=2.0")
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (response.statusCode() != 200) {
      throw new IOException(
          "GitHub's token service answered "
              + response.statusCode()
              + ": "
              + abbreviate(response.body()));
    }
    JsonNode value;
    try {
      value = JsonMapper.builder().build().readTree(response.body()).path("value");
    } catch (IOException e) {
      throw new IOException(
          "GitHub's token service did not answer JSON: " + abbreviate(response.body()));
    }
    if (!value.isTextual()) {
      throw new IOException("GitHub's token service answered no value");
    }
    return value.asText();
  }

  /**
   * The token, if it has a JWS's shape (three base64url parts); a wrong file or variable fails
   * here, before anything is sent.
   */
  static String check(String token) {
    String t = token.strip();
    if (t.length() > MAX_LENGTH || !JWS.matcher(t).matches()) {
      throw new IllegalArgumentException(
          "the OIDC token is not a JWT (header.payload.signature in base64url)");
    }
    return t;
  }

  private static String abbreviate(String s) {
    String line = s.strip().replaceAll("\\s+", " ");
    return line.length() <= 200 ? line : line.substring(0, 200) + "…";
  }
}
