package dev.deployer.app;

import picocli.AutoComplete;
import picocli.CommandLine.Command;

/** The top-level command; it only lists the subcommands. */
@Command(
    name = "deployer",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description =
        "Deploys many Helm releases as one plan: in dependency order, in parallel, watched by monitors.",
    subcommands = {
      BuildCommand.class,
      UpCommand.class,
      DownCommand.class,
      RollbackCommand.class,
      StatusCommand.class,
      HistoryCommand.class,
      ListCommand.class,
      MonitorCommand.class,
      DiffCommand.class,
      ValidateCommand.class,
      LintCommand.class,
      GraphCommand.class,
      SchemaCommand.class,
      VersionCommand.class,
      AutoComplete.GenerateCompletion.class
    },
    footer = {
      "",
      "Every option can also be set from the environment: DEPLOYER_ and its long name,",
      "upper-case, '-' as '_' (--lock-timeout: DEPLOYER_LOCK_TIMEOUT); the command line wins.",
      "",
      "Exit codes: 0 success, 1 a release or monitor failed, 2 invalid input,",
      "3 changes found, 4 refused (stale plan, lock held), 70 internal error."
    })
final class DeployerCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  private final java.util.Map<String, String> environment;

  DeployerCommand(java.util.Map<String, String> environment) {
    this.environment = java.util.Map.copyOf(environment);
  }

  /** The environment a command line runs in; subcommands reach it through their spec. */
  static java.util.Map<String, String> environment(picocli.CommandLine.Model.CommandSpec spec) {
    picocli.CommandLine.Model.CommandSpec root = spec;
    while (root.parent() != null) {
      root = root.parent();
    }
    return ((DeployerCommand) root.userObject()).environment;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
