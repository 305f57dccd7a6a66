package dev.freshet.demo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;

/**
 * Entry point. Configured by environment, as in a pod: {@code PORT} (default 8080), {@code
 * GREETING}, {@code DEMO_VERSION}.
 */
public final class DemoApp {

  static final String DEFAULT_GREETING = "Hello from the Freshet demo app";

  private DemoApp() {}

  public static void main(String[] args) throws IOException {
    Map<String, String> env = System.getenv();
    int port = Integer.parseInt(env.getOrDefault("PORT", "8080"));
    String greeting = env.getOrDefault("GREETING", DEFAULT_GREETING);
    BuildInfo build = BuildInfo.load(env);
    DemoServer server = new DemoServer(new InetSocketAddress(port), greeting, build).start();
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "shutdown"));
    System.out.println("demo app " + build.version() + " listening on port " + server.port());
  }
}
