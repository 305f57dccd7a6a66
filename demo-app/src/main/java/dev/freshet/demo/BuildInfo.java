package dev.freshet.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * The version this build answers on {@code /version}: Maven's project version, filtered into {@code
 * build.properties}, unless the image was built with {@code DEMO_VERSION} set (CI stamps the commit
 * it built), so a rollout can be told apart from the one before it.
 */
public record BuildInfo(String version) {

  static final String VERSION_ENV = "DEMO_VERSION";

  public static BuildInfo load(Map<String, String> env) {
    String fromEnv = env.get(VERSION_ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return new BuildInfo(fromEnv.strip());
    }
    Properties props = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("build.properties")) {
      if (in == null) {
        throw new IllegalStateException("build.properties is missing from the jar");
      }
      props.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new BuildInfo(props.getProperty("version", "unknown"));
  }
}
