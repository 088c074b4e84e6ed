package dev.deployer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** What every command shares: help, global flags, variables, verbosity, completion. */
class ConventionsTest {
  static final String QUICKSTART = CommandsTest.QUICKSTART;
  static final Map<String, String> ENV = Map.of("PATH", System.getenv("PATH"));

  @TempDir Path dir;

  /** Every command below the root, as the words that name it ({@code [diff, live]}). */
  static List<List<String>> commands() {
    StringWriter sink = new StringWriter();
    CommandLine root =
        Main.commandLine(new PrintWriter(sink), new PrintWriter(sink), Map.<String, String>of());
    List<List<String>> out = new ArrayList<>();
    out.add(List.of());
    walk(root, List.of(), out);
    return out;
  }

  private static void walk(CommandLine parent, List<String> path, List<List<String>> out) {
    for (var sub : parent.getSubcommands().entrySet()) {
      if (sub.getValue().getCommandSpec().usageMessage().hidden()
          || !sub.getKey().equals(sub.getValue().getCommandName())) {
        continue; // hidden, or an alias (ls for list): listed once, under its name
      }
      List<String> child = new ArrayList<>(path);
      child.add(sub.getKey());
      out.add(child);
      walk(sub.getValue(), child, out);
    }
  }

  static CommandSpec spec(List<String> path) {
    StringWriter sink = new StringWriter();
    CommandLine cli =
        Main.commandLine(new PrintWriter(sink), new PrintWriter(sink), Map.<String, String>of());
    for (String word : path) {
      cli = cli.getSubcommands().get(word);
    }
    return cli.getCommandSpec();
  }

  static Cli help(List<String> path) {
    List<String> args = new ArrayList<>(path);
    args.add("--help");
    return Cli.run(ENV, args.toArray(String[]::new));
  }

  /** Lines joined by single spaces: what a reader reads, wherever the lines were broken. */
  static String flat(String text) {
    return text.strip().replaceAll("\\s+", " ");
  }

  @Test
  void everyLongOptionOfEveryCommandNamesItsVariableInItsHelp() {
    int checked = 0;
    for (List<String> path : commands()) {
      String help = flat(help(path).out());
      for (OptionSpec option : spec(path).options()) {
        if (EnvironmentDefaults.hasVariable(option)) {
          assertThat(help)
              .as("deployer %s --help, %s", String.join(" ", path), option.longestName())
              .contains("(env: " + EnvironmentDefaults.variable(option) + ")");
          checked++;
        }
      }
    }
    assertThat(checked).isGreaterThan(100);
    assertThat(flat(help(List.of("up")).out()))
        .contains(
            "How long to wait for another run's lock on a release (default: 1m). (env:"
                + " DEPLOYER_LOCK_TIMEOUT)");
  }

  @Test
  void helpTextsAreWholeSentencesWithResolvedLabelsAtWidth80() {
    for (List<String> path : commands()) {
      String name = "deployer " + String.join(" ", path) + " --help";
      Cli cli = help(path);
      assertThat(cli.exitCode()).as(name).isZero();
      String help = cli.out();
      assertThat(help.lines()).as(name).allSatisfy(l -> assertThat(l.length()).isLessThan(81));
      assertThat(help).as(name).doesNotContain("${").doesNotContainPattern("<[a-z][A-Za-z]*>");
      String flat = flat(help);
      CommandSpec spec = spec(path);
      // Each text appears unbroken: a line break inside 'helmwave.yml' would read 'helmwave. yml'.
      for (String paragraph : spec.usageMessage().description()) {
        assertThat(flat).as(name).contains(flat(paragraph));
      }
      List<ArgSpec> args = new ArrayList<>(spec.options());
      args.addAll(spec.positionalParameters());
      for (ArgSpec arg : args) {
        for (String line : arg.description()) {
          String resolved =
              line.replace("${DEFAULT-VALUE}", String.valueOf(arg.defaultValue()))
                  .replace(
                      "${COMPLETION-CANDIDATES}",
                      arg.completionCandidates() == null
                          ? ""
                          : String.join(", ", arg.completionCandidates()));
          assertThat(flat).as(name).contains(flat(resolved));
        }
      }
      // The command list shows a command's first paragraph: a whole sentence.
      for (var sub : spec.subcommands().values()) {
        String[] description = sub.getCommandSpec().usageMessage().description();
        assertThat(description).as(name + ": " + sub.getCommandName()).isNotEmpty();
        assertThat(description[0]).as(sub.getCommandName()).endsWith(".");
        assertThat(flat).as(name).contains(flat(description[0]));
      }
    }
  }

  @Test
  void globalFlagsWorkBeforeAndAfterTheCommand() {
    String plandir = dir.resolve("plan").toString();
    for (String[] args :
        new String[][] {
          {"--log-format", "json", "--no-color", "build", "-f", QUICKSTART, "--plandir", plandir},
          {"build", "-f", QUICKSTART, "--plandir", plandir, "--log-format", "json", "--no-color"},
        }) {
      Cli cli = Cli.run(ENV, args);
      assertThat(cli.exitCode()).as(cli.err()).isZero();
      assertThat(cli.err().lines())
          .as(String.join(" ", args))
          .isNotEmpty()
          .allMatch(l -> l.startsWith("{\""));
      assertThat(cli.out()).endsWith("built " + plandir + ": 3 releases\n");
    }
    for (String[] args :
        new String[][] {
          {"--kubeconfig", "/nowhere/kubeconfig", "status", "-f", QUICKSTART},
          {"status", "-f", QUICKSTART, "--kubeconfig", "/nowhere/kubeconfig"},
        }) {
      Cli cli = Cli.run(ENV, args);
      assertThat(cli.exitCode()).as(String.join(" ", args)).isEqualTo(ExitCodes.INVALID);
      assertThat(cli.err()).contains("/nowhere/kubeconfig");
    }
    // A command's own --kubeconfig wins over the one before it.
    Cli both =
        Cli.run(
            ENV,
            "--kubeconfig",
            "/first/kubeconfig",
            "status",
            "-f",
            QUICKSTART,
            "--kubeconfig",
            "/second/kubeconfig");
    assertThat(both.err()).contains("/second/kubeconfig").doesNotContain("/first");
    // It applies only where a cluster is reached: version has no --kubeconfig of its own.
    assertThat(Cli.run(ENV, "version", "--kubeconfig", "x").exitCode())
        .isEqualTo(ExitCodes.INVALID);
  }

  @Test
  void quietShowsOnlyTheReportAndVerboseAddsDebugLogs() {
    String plandir = dir.resolve("plan").toString();
    Cli normal = Cli.run(ENV, "build", "-f", QUICKSTART, "--plandir", plandir);
    assertThat(normal.err()).contains("rendered db@shop: ");
    assertThat(normal.out()).endsWith("built " + plandir + ": 3 releases\n");

    for (String[] args :
        new String[][] {
          {"-q", "build", "-f", QUICKSTART, "--plandir", plandir},
          {"build", "-f", QUICKSTART, "--plandir", plandir, "--quiet"},
        }) {
      Cli quiet = Cli.run(ENV, args);
      assertThat(quiet.exitCode()).isZero();
      assertThat(quiet.err()).as(String.join(" ", args)).isEmpty();
      assertThat(quiet.out()).endsWith("built " + plandir + ": 3 releases\n");
    }
    // A failure still shows with -q.
    Cli failed = Cli.run(ENV, "-q", "build", "-f", dir.resolve("missing.yml").toString());
    assertThat(failed.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(failed.err()).startsWith("error: ");

    for (String flag : new String[] {"-v", "--log-level=debug"}) {
      String logs =
          systemErrOf(() -> Cli.run(ENV, flag, "build", "-f", QUICKSTART, "--plandir", plandir));
      assertThat(logs).as(flag).contains("DEBUG", "rendering db@shop: chart ");
    }
    assertThat(systemErrOf(() -> Cli.run(ENV, "build", "-f", QUICKSTART, "--plandir", plandir)))
        .as("the level is restored after a run")
        .doesNotContain("DEBUG");

    Cli both = Cli.run(ENV, "-q", "version", "-v");
    assertThat(both.exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(both.err()).contains("-q/--quiet and -v/--verbose exclude each other");
    assertThat(Cli.run(ENV, "--log-level", "loud", "version").err())
        .contains("Invalid value for option '--log-level'", "error, warn, info, debug");
  }

  /** What logback wrote to {@code System.err} while {@code run} ran. */
  private static String systemErrOf(Runnable run) {
    PrintStream before = System.err;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      run.run();
    } finally {
      System.setErr(before);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void completionScriptsForBashZshAndFishParse() throws Exception {
    Cli bash = Cli.run(ENV, "completion", "bash");
    assertThat(bash.exitCode()).isZero();
    assertThat(bash.out()).contains("complete -F _complete_deployer", "--log-level", "status");
    assertParses("bash", bash.out());
    Cli zsh = Cli.run(ENV, "completion", "zsh");
    assertThat(zsh.out()).contains("bashcompinit");
    assertParses("zsh", zsh.out());

    Cli fish = Cli.run(ENV, "completion", "fish");
    assertThat(fish.exitCode()).isZero();
    for (List<String> path : commands()) {
      if (path.size() == 1) {
        assertThat(fish.out()).contains("-n '__fish_use_subcommand' -a " + path.get(0) + " -d '");
      }
    }
    assertThat(fish.out())
        .contains(
            "complete -c deployer -n '__fish_seen_subcommand_from diff; and not"
                + " __fish_seen_subcommand_from local live' -a live -d ",
            "complete -c deployer -n '__fish_seen_subcommand_from up' -l lock-timeout -x -d"
                + " 'How long to wait for another run\\'s lock on a release (default: 1m)'",
            "complete -c deployer -l log-level -x -a 'error warn info debug' -d ",
            "complete -c deployer -n '__fish_seen_subcommand_from build' -s f -l file -r -F -d ");
    assertThat(fish.out().lines())
        .allMatch(l -> l.startsWith("#") || l.startsWith("complete -c deployer "));
    assertParses("fish", fish.out());

    assertThat(Cli.run(ENV, "completion", "tcsh").exitCode()).isEqualTo(ExitCodes.INVALID);
    assertThat(Cli.run(ENV, "--help").out()).doesNotContain("generate-completion");
  }

  /** {@code SHELL -n} on the script, when that shell is installed; bash always is. */
  private void assertParses(String shell, String script) throws Exception {
    boolean installed =
        java.util.Arrays.stream(System.getenv("PATH").split(":"))
            .anyMatch(d -> Files.isExecutable(Path.of(d, shell)));
    if (!installed) {
      assertThat(shell).as("bash must be installed").isNotEqualTo("bash");
      return;
    }
    Path file = dir.resolve("completion." + shell);
    Files.writeString(file, script);
    Process p = new ProcessBuilder(shell, "-n", file.toString()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(shell + " -n: " + output).isZero();
  }
}
