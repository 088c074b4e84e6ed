package dev.deployer.app;

import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every option's default from the environment: {@code --lock-timeout} from {@code
 * DEPLOYER_LOCK_TIMEOUT}, {@code --plandir} from {@code DEPLOYER_PLANDIR}, and so on; the value on
 * the command line still wins. Set for CI pipelines, where flags are awkward to thread through.
 */
final class EnvironmentDefaults implements IDefaultValueProvider {
  private final Map<String, String> environment;

  EnvironmentDefaults(Map<String, String> environment) {
    this.environment = environment;
  }

  /** {@code DEPLOYER_LOCK_TIMEOUT} for {@code --lock-timeout}. */
  static String variable(OptionSpec option) {
    return "DEPLOYER_"
        + option.longestName().replaceFirst("^-+", "").replace('-', '_').toUpperCase(Locale.ROOT);
  }

  /** Whether the option has a variable: every long option but --help and --version. */
  static boolean hasVariable(OptionSpec option) {
    return !option.usageHelp() && !option.versionHelp() && option.longestName().startsWith("--");
  }

  @Override
  public String defaultValue(ArgSpec argSpec) {
    if (!(argSpec instanceof OptionSpec option) || !hasVariable(option)) {
      return null;
    }
    String value = environment.get(variable(option));
    if (value == null || value.isEmpty()) {
      return null;
    }
    return isFlag(option) ? flag(value) : value;
  }

  /** An option that takes no value, such as {@code --quiet}: its variable says on or off. */
  static boolean isFlag(OptionSpec option) {
    return option.arity().max() == 0
        && (option.type() == boolean.class || option.type() == Boolean.class);
  }

  /**
   * A flag's variable as picocli reads a boolean: {@code 1}, {@code yes} and {@code on} are {@code
   * true}, as {@code 0}, {@code no} and {@code off} are {@code false} (any case), the spellings CI
   * systems and shells use; picocli refuses any other value, naming the option.
   */
  static String flag(String value) {
    return switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "1", "yes", "on", "true" -> "true";
      case "0", "no", "off", "false" -> "false";
      default -> value;
    };
  }

  /**
   * Help that names each option's variable after its description ({@code (env:
   * DEPLOYER_LOCK_TIMEOUT)}), so no option's text has to repeat it, and that wraps descriptions at
   * spaces only: picocli's own wrapping also breaks after '.' or '/', which cut {@code
   * helmwave.yml} and {@code ~/.kube/config} in two.
   */
  static final class HelpFactory implements CommandLine.IHelpFactory {
    @Override
    public CommandLine.Help create(CommandSpec spec, CommandLine.Help.ColorScheme colorScheme) {
      return new CommandLine.Help(spec, colorScheme) {
        /** Each paragraph of the command's description wrapped at spaces to the usage width. */
        @Override
        public String description(Object... params) {
          StringBuilder sb = new StringBuilder();
          int width = spec.usageMessage().width();
          for (String paragraph : spec.usageMessage().description()) {
            for (String line : wrap(paragraph.strip(), width, width)) {
              sb.append(line).append(System.lineSeparator());
            }
          }
          return sb.toString();
        }

        @Override
        public CommandLine.Help.Layout createDefaultLayout() {
          return createDefaultLayout(
              commandSpec().options(), commandSpec().positionalParameters(), colorScheme());
        }

        @Override
        public CommandLine.Help.Layout createDefaultLayout(
            java.util.List<OptionSpec> options,
            java.util.List<CommandLine.Model.PositionalParamSpec> positionals,
            CommandLine.Help.ColorScheme scheme) {
          CommandLine.Help.Layout standard =
              super.createDefaultLayout(options, positionals, scheme);
          CommandLine.Help.TextTable table = standard.textTable();
          CommandLine.Help.Column column = table.columns()[table.columns().length - 1];
          int width = column.width - column.indent - 1;
          CommandLine.Help.IOptionRenderer renderer =
              (option, labels, s) ->
                  rewrap(
                      standard.optionRenderer().render(option, labels, s),
                      hasVariable(option) ? "(env: " + variable(option) + ")" : null,
                      width,
                      table.indentWrappedLines,
                      s);
          CommandLine.Help.IParameterRenderer parameters =
              (parameter, labels, s) ->
                  rewrap(
                      standard.parameterRenderer().render(parameter, labels, s),
                      null,
                      width,
                      table.indentWrappedLines,
                      s);
          return new CommandLine.Help.Layout(scheme, table, renderer, parameters);
        }
      };
    }

    /**
     * The rows picocli made for one option, each description line wrapped at spaces to {@code
     * width}, continuation lines indented as picocli indents them, {@code env} after the last.
     */
    static CommandLine.Help.Ansi.Text[][] rewrap(
        CommandLine.Help.Ansi.Text[][] rows,
        String env,
        int width,
        int indent,
        CommandLine.Help.ColorScheme scheme) {
      int last = rows[0].length - 1;
      java.util.List<CommandLine.Help.Ansi.Text[]> out = new java.util.ArrayList<>();
      for (int r = 0; r < rows.length; r++) {
        String text = rows[r][last].plainString().strip();
        if (r == rows.length - 1 && env != null) {
          text = text.isEmpty() ? env : text + " " + env;
        }
        java.util.List<String> lines = wrap(text, width, width - indent);
        for (int i = 0; i < lines.size(); i++) {
          CommandLine.Help.Ansi.Text[] row;
          if (i == 0) {
            row = rows[r].clone();
          } else {
            row = new CommandLine.Help.Ansi.Text[rows[r].length];
            for (int c = 0; c < last; c++) {
              row[c] = scheme.ansi().new Text("", scheme);
            }
          }
          String line = (i == 0 ? "" : " ".repeat(indent)) + lines.get(i);
          row[last] = scheme.ansi().new Text(line, scheme);
          out.add(row);
        }
      }
      return out.toArray(new CommandLine.Help.Ansi.Text[0][]);
    }

    /** Words joined into lines of at most {@code first}, then {@code next}, characters. */
    static java.util.List<String> wrap(String text, int first, int next) {
      java.util.List<String> lines = new java.util.ArrayList<>();
      StringBuilder line = new StringBuilder();
      for (String word : text.split(" +")) {
        int limit = lines.isEmpty() ? first : next;
        if (line.length() > 0 && line.length() + 1 + word.length() > limit) {
          lines.add(line.toString());
          line.setLength(0);
        }
        line.append(line.length() > 0 ? " " : "").append(word);
      }
      lines.add(line.toString());
      return lines;
    }
  }
}
