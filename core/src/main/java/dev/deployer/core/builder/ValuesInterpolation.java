package dev.deployer.core.builder;

import dev.deployer.core.plan.Location;
import dev.deployer.core.plan.Problem;
import dev.deployer.core.plan.Release;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces the placeholders a values file may hold before Helm reads it. Only these forms exist,
 * so nothing else in a values file changes:
 *
 * <ul>
 *   <li>{@code ${env:NAME}}: an environment variable; an unset one is an error;
 *   <li>{@code ${env:NAME:-default}}: the variable, or {@code default} when unset or empty;
 *   <li>{@code ${store:a.b}}: a value from the release's own {@code store};
 *   <li>{@code ${release:name@namespace:field}}: another release's {@code name}, {@code namespace},
 *       {@code unique_name}, {@code chart}, {@code chart_version} or {@code store.a.b};
 *   <li>{@code $${}: a literal {@code ${}.
 * </ul>
 */
public final class ValuesInterpolation {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\$\\{|\\$\\{([^}]*)}");

  private final Function<String, String> environment;
  private final Function<String, Release> releases;

  /**
   * @param environment looks up an environment variable, null when unset
   * @param releases looks up a release of the plan by unique name, null when there is none
   */
  public ValuesInterpolation(
      Function<String, String> environment, Function<String, Release> releases) {
    this.environment = environment;
    this.releases = releases;
  }

  /** The text with every placeholder replaced; each problem names the file, line and column. */
  public String apply(String text, Path file, Release release, List<Problem> problems) {
    Matcher m = PLACEHOLDER.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement;
      if (m.group().equals("$${")) {
        replacement = "${";
      } else {
        try {
          replacement = resolve(m.group(1).trim(), release);
        } catch (IllegalArgumentException e) {
          problems.add(new Problem(location(text, m.start(), file), "values", e.getMessage()));
          replacement = m.group();
        }
      }
      m.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    m.appendTail(out);
    return out.toString();
  }

  private String resolve(String expression, Release release) {
    int colon = expression.indexOf(':');
    if (colon < 0) {
      throw unknown(expression);
    }
    String kind = expression.substring(0, colon);
    String rest = expression.substring(colon + 1);
    return switch (kind) {
      case "env" -> env(rest);
      case "store" -> store(release, rest, "${store:" + rest + "}");
      case "release" -> otherRelease(rest);
      default -> throw unknown(expression);
    };
  }

  private String env(String rest) {
    int dash = rest.indexOf(":-");
    String name = dash < 0 ? rest : rest.substring(0, dash);
    String value = environment.apply(name);
    if (dash >= 0) {
      return value == null || value.isEmpty() ? rest.substring(dash + 2) : value;
    }
    if (value == null) {
      throw new IllegalArgumentException(
          "environment variable "
              + name
              + " is not set (write ${env:"
              + name
              + ":-default} for a default)");
    }
    return value;
  }

  private String otherRelease(String rest) {
    int colon = rest.lastIndexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException(
          "${release:" + rest + "} needs a field: ${release:name@namespace:field}");
    }
    String uniqueName = rest.substring(0, colon);
    String field = rest.substring(colon + 1);
    Release other = releases.apply(uniqueName);
    if (other == null) {
      throw new IllegalArgumentException(
          "${release:" + rest + "}: release " + uniqueName + " is not in the plan");
    }
    return switch (field) {
      case "name" -> other.name();
      case "namespace" -> other.namespace();
      case "unique_name" -> other.uniqueName();
      case "chart" -> other.chart().name();
      case "chart_version" -> other.chart().version().orElse("");
      default -> {
        if (field.startsWith("store.")) {
          yield store(other, field.substring("store.".length()), "${release:" + rest + "}");
        }
        throw new IllegalArgumentException(
            "${release:"
                + rest
                + "}: unknown field "
                + field
                + " (name, namespace, unique_name, chart, chart_version, store.KEY)");
      }
    };
  }

  private static String store(Release release, String path, String written) {
    Object at = release.store();
    for (String key : path.split("\\.")) {
      if (!(at instanceof Map<?, ?> map) || !map.containsKey(key)) {
        throw new IllegalArgumentException(
            written + ": " + release.uniqueName() + " has no store." + path);
      }
      at = map.get(key);
    }
    if (at instanceof Map || at instanceof List) {
      throw new IllegalArgumentException(written + " is a mapping or list, not a single value");
    }
    return String.valueOf(at);
  }

  private static IllegalArgumentException unknown(String expression) {
    return new IllegalArgumentException(
        "unknown placeholder ${"
            + expression
            + "}: use ${env:NAME}, ${store:KEY} or "
            + "${release:name@namespace:field}; write $${ for a literal ${");
  }

  private static Location location(String text, int offset, Path file) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < offset; i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return new Location(file, line, offset - lineStart + 1);
  }
}
