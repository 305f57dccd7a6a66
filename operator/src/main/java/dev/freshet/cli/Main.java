package dev.freshet.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The freshet executable. */
@Command(
    name = "freshet",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Keeps Kubernetes apps deployed as declared and on the newest image.",
    subcommands = {
      OperatorCommand.class,
      NotifyCommand.class,
      StatusCommand.class,
      HistoryCommand.class,
      ApproveCommand.class,
      RollbackCommand.class,
      UnquarantineCommand.class,
      HoldCommand.class,
      ResumeCommand.class
    })
public class Main implements Runnable {

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  static class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String version = Main.class.getPackage().getImplementationVersion();
      return new String[] {"freshet " + (version == null ? "dev" : version)};
    }
  }
}
