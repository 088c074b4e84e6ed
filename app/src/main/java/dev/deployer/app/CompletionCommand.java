package dev.deployer.app;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code deployer completion bash|zsh|fish}: a shell completion script on standard output. */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description = {
      "Print a completion script for bash, zsh or fish.",
      "bash: source <(deployer completion bash); zsh: source <(deployer completion zsh);"
          + " fish: deployer completion fish | source."
    })
final class CompletionCommand implements Callable<Integer> {
  enum Shell {
    bash,
    zsh,
    fish
  }

  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "SHELL",
      description = "${COMPLETION-CANDIDATES}; zsh loads the bash script through bashcompinit.")
  Shell shell;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    CommandSpec root = spec.root();
    out.print(
        shell == Shell.fish
            ? fish(root)
            // picocli's script sets up bashcompinit itself when zsh sources it.
            : AutoComplete.bash(root.name(), root.commandLine()));
    out.flush();
    return ExitCodes.SUCCESS;
  }

  /**
   * A fish script: the commands where no command is given yet, each command's subcommands after it,
   * and each command's options once it is on the line; the global options everywhere.
   */
  static String fish(CommandSpec root) {
    StringBuilder sb = new StringBuilder();
    String name = root.name();
    sb.append("# fish completion for ").append(name).append(": ");
    sb.append(name).append(" completion fish | source\n");
    sb.append("complete -c ").append(name).append(" -f\n");
    for (OptionSpec option : root.options()) {
      fishOption(sb, name, "", option);
    }
    fishCommands(sb, name, root, List.of());
    return sb.toString();
  }

  private static void fishCommands(
      StringBuilder sb, String name, CommandSpec parent, List<String> path) {
    List<String> children = new ArrayList<>();
    for (var sub : parent.subcommands().entrySet()) {
      if (!sub.getValue().getCommandSpec().usageMessage().hidden()
          && sub.getKey().equals(sub.getValue().getCommandName())) {
        children.add(sub.getKey());
      }
    }
    String here =
        path.isEmpty()
            ? "__fish_use_subcommand"
            : seen(path) + "; and not __fish_seen_subcommand_from " + String.join(" ", children);
    for (String child : children) {
      CommandSpec spec = parent.subcommands().get(child).getCommandSpec();
      sb.append("complete -c ").append(name).append(" -n '").append(here).append("' -a ");
      sb.append(child).append(" -d ").append(quote(summary(spec.usageMessage().description())));
      sb.append('\n');
      List<String> childPath = new ArrayList<>(path);
      childPath.add(child);
      for (OptionSpec option : spec.options()) {
        if (!option.inherited()) {
          fishOption(sb, name, " -n '" + seen(childPath) + "'", option);
        }
      }
      fishCommands(sb, name, spec, childPath);
    }
  }

  private static String seen(List<String> path) {
    StringBuilder sb = new StringBuilder();
    for (String word : path) {
      sb.append(sb.length() == 0 ? "" : "; and ").append("__fish_seen_subcommand_from ");
      sb.append(word);
    }
    return sb.toString();
  }

  private static void fishOption(
      StringBuilder sb, String name, String condition, OptionSpec option) {
    sb.append("complete -c ").append(name).append(condition);
    for (String n : option.names()) {
      sb.append(n.startsWith("--") ? " -l " + n.substring(2) : " -s " + n.substring(1));
    }
    if (option.arity().max() > 0) {
      List<String> values = new ArrayList<>();
      if (option.completionCandidates() != null) {
        option.completionCandidates().forEach(values::add);
      }
      if (!values.isEmpty()) {
        sb.append(" -x -a ").append(quote(String.join(" ", values)));
      } else if (option.type() == java.nio.file.Path.class) {
        sb.append(" -r -F");
      } else {
        sb.append(" -x");
      }
    }
    sb.append(" -d ").append(quote(summary(describe(option)))).append('\n');
  }

  /** The option's description with picocli's help variables filled in. */
  private static String[] describe(OptionSpec option) {
    String[] lines = option.description().clone();
    List<String> values = new ArrayList<>();
    if (option.completionCandidates() != null) {
      option.completionCandidates().forEach(values::add);
    }
    for (int i = 0; i < lines.length; i++) {
      lines[i] =
          lines[i]
              .replace("${COMPLETION-CANDIDATES}", String.join(", ", values))
              .replace("${DEFAULT-VALUE}", String.valueOf(option.defaultValue()));
    }
    return lines;
  }

  /** The first sentence of a description. */
  private static String summary(String[] description) {
    String text = String.join(" ", description).strip();
    int end = text.indexOf(". ");
    return end < 0 ? text.replaceFirst("\\.$", "") : text.substring(0, end);
  }

  private static String quote(String text) {
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
