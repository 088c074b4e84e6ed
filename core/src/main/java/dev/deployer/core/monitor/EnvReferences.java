package dev.deployer.core.monitor;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${env:NAME}} and {@code ${env:NAME:-default}} in probe settings with values from
 * the environment given to the probe, so secrets stay out of the plan. Resolved values are never
 * put into messages.
 */
final class EnvReferences {
  private static final Pattern REFERENCE =
      Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?}");

  private final Map<String, String> environment;

  EnvReferences(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /**
   * The value with every reference replaced.
   *
   * @param property the YAML property the value came from, named when a variable is unset
   */
  String resolve(String value, String property) {
    Matcher m = REFERENCE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1);
      String found = environment.get(name);
      if (found == null || (found.isEmpty() && m.group(2) != null)) {
        if (m.group(2) == null) {
          throw new ProbeException(property + ": the environment variable " + name + " is not set");
        }
        found = m.group(2);
      }
      m.appendReplacement(out, Matcher.quoteReplacement(found));
    }
    m.appendTail(out);
    return out.toString();
  }

  Optional<String> resolve(Optional<String> value, String property) {
    return value.map(v -> resolve(v, property));
  }
}
