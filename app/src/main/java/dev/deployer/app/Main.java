package dev.deployer.app;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/** The {@code deployer} program. {@link #run} is the testable entry point. */
public final class Main {
  private Main() {}

  /** The commands that call Helm; for them the engine starts loading before picocli parses. */
  private static final java.util.Set<String> ENGINE_COMMANDS =
      java.util.Set.of(
          "build", "up", "down", "rollback", "status", "list", "ls", "history", "lint");

  public static void main(String[] args) {
    // A signal while the engine loads is already told in the format asked for.
    JsonLines.processWide(JsonLines.requested(args, System.getenv()));
    Interrupts.install();
    if (commandName(args).filter(ENGINE_COMMANDS::contains).isPresent()) {
      dev.deployer.core.helm.NativeHelmEngine.shared(); // loads on a thread of its own
    }
    System.exit(run(System.out, System.err, System.getenv(), args));
  }

  /** The root command's options that take a value, in their separate-word form. */
  static final java.util.Set<String> GLOBAL_OPTIONS_WITH_VALUE =
      java.util.Set.of("--kubeconfig", "--log-format", "--log-level");

  /**
   * The command a command line names: its first word that is neither a global option nor such an
   * option's value ({@code deployer --no-color --log-level info up ...} is {@code up}).
   */
  static java.util.Optional<String> commandName(String... args) {
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (!a.startsWith("-")) {
        return java.util.Optional.of(a);
      }
      if (GLOBAL_OPTIONS_WITH_VALUE.contains(a)) {
        i++;
      }
    }
    return java.util.Optional.empty();
  }

  /** Runs one command line in this process's environment. */
  public static int run(PrintStream out, PrintStream err, String... args) {
    return run(out, err, System.getenv(), args);
  }

  /**
   * Runs one command line and returns its exit code; never calls {@code System.exit}.
   *
   * @param environment what hooks and values see, and where the kubeconfig is ({@code KUBECONFIG})
   */
  public static int run(
      PrintStream out, PrintStream err, java.util.Map<String, String> environment, String... args) {
    return run(out, err, environment, java.nio.file.Path.of(""), args);
  }

  /**
   * Runs one command line as from {@code workingDirectory}: its {@code .env} joins {@code
   * environment} (a variable already set wins, as in helmwave), then helmwave's {@code HELMWAVE_*}
   * variables stand for the {@code DEPLOYER_*} ones not set.
   */
  static int run(
      PrintStream out,
      PrintStream err,
      java.util.Map<String, String> environment,
      java.nio.file.Path workingDirectory,
      String... args) {
    PrintWriter outWriter =
        new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true);
    PrintWriter errWriter =
        new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true);
    try {
      environment = Dotenv.load(workingDirectory, environment);
    } catch (Dotenv.DotenvException e) {
      errWriter.println("error: " + e.getMessage());
      return ExitCodes.INVALID;
    }
    var refused = HelmwaveVariables.refused(environment);
    if (refused.isPresent()) {
      errWriter.println("error: " + refused.get());
      return ExitCodes.INVALID;
    }
    environment = HelmwaveVariables.translate(environment);
    JsonLines.processWide(JsonLines.requested(args, environment));
    CommandLine cli = commandLine(outWriter, errWriter, environment);
    // picocli's own colours (help, usage errors) follow NO_COLOR and --no-color too.
    if (OutputOptions.noColorVariable(environment)
        || "true".equalsIgnoreCase(environment.get("DEPLOYER_NO_COLOR"))
        || java.util.Arrays.asList(args).contains("--no-color")) {
      cli.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
    }
    try {
      return cli.execute(args);
    } finally {
      outWriter.flush();
      errWriter.flush();
    }
  }

  static CommandLine commandLine(
      PrintWriter out, PrintWriter err, java.util.Map<String, String> environment) {
    CommandLine cli = new CommandLine(new DeployerCommand(environment));
    cli.setDefaultValueProvider(new EnvironmentDefaults(environment));
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler(ExitCodes::handle);
    cli.setParameterExceptionHandler(ExitCodes::handleUsage);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setHelpFactory(new EnvironmentDefaults.HelpFactory());
    cli.setExecutionStrategy(DeployerCommand::execute);
    return cli;
  }
}
