package dev.deployer.app;

import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
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

  @Override
  public String defaultValue(ArgSpec argSpec) {
    if (!(argSpec instanceof OptionSpec option)
        || option.usageHelp()
        || option.versionHelp()
        || !option.longestName().startsWith("--")) {
      return null;
    }
    String value = environment.get(variable(option));
    return value == null || value.isEmpty() ? null : value;
  }
}
