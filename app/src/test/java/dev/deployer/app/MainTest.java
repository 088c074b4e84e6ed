package dev.deployer.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.OptionSpec;

/** Which command a command line names, before picocli parses it (to start loading the engine). */
class MainTest {

  @Test
  void theCommandIsTheFirstWordAfterTheGlobalOptionsAndTheirValues() {
    assertThat(Main.commandName("up", "plan")).contains("up");
    assertThat(Main.commandName("--no-color", "-q", "build", "-f", "x.yml")).contains("build");
    assertThat(Main.commandName("--log-level", "debug", "--kubeconfig", "k", "down"))
        .contains("down");
    assertThat(Main.commandName("--log-format=json", "rollback")).contains("rollback");
    // A value that happens to be a command's name is still the option's value.
    assertThat(Main.commandName("--kubeconfig", "status", "list")).contains("list");
    assertThat(Main.commandName("--version")).isEmpty();
    assertThat(Main.commandName()).isEmpty();
  }

  @Test
  void theGlobalOptionsThatTakeAValueAreThoseOfTheRootCommand() {
    PrintWriter sink = new PrintWriter(new StringWriter());
    var root = Main.commandLine(sink, sink, Map.of()).getCommandSpec();

    assertThat(
            root.options().stream()
                .filter(o -> o.arity().min() > 0)
                .map(OptionSpec::longestName)
                .collect(Collectors.toSet()))
        .isEqualTo(Main.GLOBAL_OPTIONS_WITH_VALUE);
  }
}
