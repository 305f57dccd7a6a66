package dev.freshet.it;

import dev.freshet.cli.Main;
import dev.freshet.testbed.Testbed;
import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * A {@code freshet} command run in this JVM against the testbed, as a person would run it, with
 * what it printed.
 */
public record FreshetCli(int exit, String out, String err) {

  /** Runs {@code args} with the testbed's kubeconfig. */
  public static FreshetCli run(Testbed testbed, String... args) {
    String[] withConfig = new String[args.length + 2];
    System.arraycopy(args, 0, withConfig, 0, args.length);
    withConfig[args.length] = "--kubeconfig";
    withConfig[args.length + 1] = testbed.kubeconfig().toString();
    var out = new StringWriter();
    var err = new StringWriter();
    int exit =
        new CommandLine(new Main())
            .setOut(new PrintWriter(out, true))
            .setErr(new PrintWriter(err, true))
            .execute(withConfig);
    return new FreshetCli(exit, out.toString(), err.toString());
  }
}
