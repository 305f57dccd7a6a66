package dev.freshet.receive.notify;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Stands in for {@code freshet notify} in {@link NotifyScriptTest}: the same flags, the same
 * client, so the pipeline's notify.sh is tested against the real receiver without the operator
 * module.
 */
public final class NotifyCommandStandIn {

  private NotifyCommandStandIn() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !args[0].equals("notify")) {
      System.err.println(
          "usage: freshet notify --url URL --secret-file FILE --image REPO:TAG [--digest D]");
      System.exit(2);
    }
    Map<String, String> flags = new HashMap<>();
    for (int i = 1; i + 1 < args.length; i += 2) {
      flags.put(args[i], args[i + 1]);
    }
    try {
      var delivered =
          new NotifyClient()
              .notify(
                  flags.get("--url"),
                  Path.of(flags.get("--secret-file")),
                  flags.get("--image"),
                  flags.get("--digest"));
      System.out.println("delivered: " + delivered.status() + " " + delivered.message());
    } catch (NotifyException e) {
      System.err.println(e.getMessage());
      System.exit(1);
    }
  }
}
