package dev.deployer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * docs/commands.md shows the {@code --help} of every command as the current version prints it. With
 * {@code -Ddocs.update=true} the test writes that section instead of checking it.
 */
class CommandsDocTest {
  static final Path DOC = Path.of("..", "docs", "commands.md");
  static final String BEGIN = "<!-- BEGIN GENERATED HELP -->\n";
  static final String END = "<!-- END GENERATED HELP -->\n";

  /** The section as the commands print it now. */
  static String generated() {
    StringBuilder sb = new StringBuilder(BEGIN);
    for (List<String> path : ConventionsTest.commands()) {
      String command = String.join(" ", path);
      String line = "deployer " + (command.isEmpty() ? "" : command + " ") + "--help";
      sb.append("\n### `").append(line).append("`\n\n```text\n");
      sb.append("$ ").append(line).append('\n');
      sb.append(ConventionsTest.help(path).out());
      sb.append("```\n");
    }
    return sb.append('\n').append(END).toString();
  }

  @Test
  void commandsMdShowsTheHelpOfEveryCommandAsPrintedNow() throws Exception {
    String doc = Files.readString(DOC, StandardCharsets.UTF_8);
    int begin = doc.indexOf(BEGIN);
    int end = doc.indexOf(END);
    assertThat(begin).as("the generated section's markers in " + DOC).isNotNegative();
    assertThat(end).isGreaterThan(begin);
    String now = generated();
    if (Boolean.getBoolean("docs.update")) {
      Files.writeString(
          DOC,
          doc.substring(0, begin) + now + doc.substring(end + END.length()),
          StandardCharsets.UTF_8);
      return;
    }
    assertThat(doc.substring(begin, end + END.length()))
        .as(
            "docs/commands.md's help section is out of date; regenerate it with"
                + " mvn -B -o -pl app -am verify -Dtest=CommandsDocTest -Ddocs.update=true"
                + " -Dit.test=none -Dsurefire.failIfNoSpecifiedTests=false"
                + " -Dfailsafe.failIfNoSpecifiedTests=false -Ddist.skip=true")
        .isEqualTo(now);
  }
}
