package dev.deployer.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

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
      ManifestsCommand.class,
      SchemaCommand.class,
      VersionCommand.class,
      CompletionCommand.class
    },
    footer = {
      "",
      "Every option can also be set from the environment: DEPLOYER_ and its long name,",
      "upper-case, '-' as '_' (--lock-timeout: DEPLOYER_LOCK_TIMEOUT); the command line wins.",
      "A flag is on with 1, true, yes or on, off with 0, false, no or off (DEPLOYER_QUIET=1).",
      "helmwave's HELMWAVE_ variables (HELMWAVE_TAGS, ...) are read too; DEPLOYER_ ones win.",
      "A .env file in the working directory is loaded first; variables already set win.",
      "The options above may also be given after the command (deployer status -q).",
      "",
      "Exit codes: 0 success, 1 a release or monitor failed, 2 invalid input,",
      "3 changes found, 4 refused (stale plan, lock held), 70 internal error."
    })
final class DeployerCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  /** The global flags; every command inherits them. */
  @Mixin OutputOptions output;

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description =
          "The kubeconfig of the commands that reach a cluster, instead of KUBECONFIG (or"
              + " ~/.kube/config); their own --kubeconfig wins.")
  java.nio.file.Path kubeconfig;

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
    DeployerCommand deployer = (DeployerCommand) root.userObject();
    if (deployer.kubeconfig == null) {
      return deployer.environment;
    }
    java.util.Map<String, String> out = new java.util.TreeMap<>(deployer.environment);
    out.put("KUBECONFIG", deployer.kubeconfig.toAbsolutePath().toString());
    return java.util.Map.copyOf(out);
  }

  /**
   * Runs the command the line names at the log level its global flags ask for, and restores the
   * level afterwards (tests run many command lines in one JVM).
   */
  static int execute(ParseResult parseResult) {
    OutputOptions output = ((DeployerCommand) parseResult.commandSpec().userObject()).output;
    if (output.quiet && output.verbose) {
      ParseResult leaf = parseResult;
      while (leaf.hasSubcommand()) {
        leaf = leaf.subcommand();
      }
      throw new CommandLine.ParameterException(
          leaf.commandSpec().commandLine(), "-q/--quiet and -v/--verbose exclude each other");
    }
    OutputOptions.LogLevel level = output.level();
    if (level == null) {
      return new CommandLine.RunLast().execute(parseResult);
    }
    ch.qos.logback.classic.Level before =
        LogConfigurator.setLevel(ch.qos.logback.classic.Level.toLevel(level.name()));
    try {
      return new CommandLine.RunLast().execute(parseResult);
    } finally {
      LogConfigurator.setLevel(before);
    }
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
