package dev.deployer.app;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The {@code HELMWAVE_*} variables helmwave 0.44 reads for its flags, read as the {@code
 * DEPLOYER_*} variable of the matching option, so a CI job that switches binaries keeps its
 * settings ({@code HELMWAVE_TAGS=a} still selects). A {@code DEPLOYER_*} variable that is set wins.
 * Values helmwave spells otherwise are translated ({@code HELMWAVE_LOG_FORMAT=emoji} is text,
 * {@code HELMWAVE_LOG_COLOR=false} is {@code --no-color}); variables of features deployer does not
 * have are not read, except {@code HELMWAVE_REMOTE_SOURCE}, which would build something else:
 * refused.
 */
final class HelmwaveVariables {
  private HelmwaveVariables() {}

  /** One helmwave variable: the deployer variable it sets, and its value translated (or none). */
  private record Mapping(String deployer, Function<String, Optional<String>> value) {}

  private static final Map<String, Mapping> MAPPINGS = new LinkedHashMap<>();

  private static void same(String deployer, String... helmwave) {
    for (String h : helmwave) {
      MAPPINGS.put(h, new Mapping(deployer, Optional::of));
    }
  }

  private static void flag(String deployer, String... helmwave) {
    for (String h : helmwave) {
      MAPPINGS.put(h, new Mapping(deployer, HelmwaveVariables::goBool));
    }
  }

  static {
    same("DEPLOYER_TAGS", "HELMWAVE_TAGS");
    flag("DEPLOYER_MATCH_ALL_TAGS", "HELMWAVE_MATCH_ALL_TAGS");
    same("DEPLOYER_PLANDIR", "HELMWAVE_PLANDIR", "HELMWAVE_PLAN");
    same("DEPLOYER_PLANDIR1", "HELMWAVE_PLANDIR_1");
    same("DEPLOYER_PLANDIR2", "HELMWAVE_PLANDIR_2");
    same("DEPLOYER_FILE", "HELMWAVE_YAML", "HELMWAVE_YML");
    same("DEPLOYER_TPL", "HELMWAVE_TPL");
    same("DEPLOYER_TEMPLATER", "HELMWAVE_TEMPLATER", "HELMWAVE_TEMPLATE_ENGINE");
    same("DEPLOYER_YML_TEMPLATER", "HELMWAVE_YML_TEMPLATER", "HELMWAVE_YML_TEMPLATE_ENGINE");
    same("DEPLOYER_BUILD_TEMPLATER", "HELMWAVE_BUILD_TEMPLATER", "HELMWAVE_BUILD_TEMPLATE_ENGINE");
    flag("DEPLOYER_BUILD", "HELMWAVE_AUTO_BUILD");
    flag("DEPLOYER_YML", "HELMWAVE_AUTO_YML", "HELMWAVE_AUTO_YAML");
    flag("DEPLOYER_SKIP_UNCHANGED", "HELMWAVE_SKIP_UNCHANGED");
    same("DEPLOYER_GRAPH_WIDTH", "HELMWAVE_GRAPH_WIDTH");
    flag("DEPLOYER_DEPENDENCIES", "HELMWAVE_DEPENDENCIES_ENABLED", "HELMWAVE_DEPENDENCIES");
    same("DEPLOYER_DIFF_MODE", "HELMWAVE_DIFF_MODE");
    flag("DEPLOYER_SHOW_SECRETS", "HELMWAVE_DIFF_SHOW_SECRET");
    same("DEPLOYER_UNIQNAMES", "HELMWAVE_UNIQNAMES");
    // helmwave's 0 is "no limit"; deployer's default (the number of cores) is the nearest.
    MAPPINGS.put(
        "HELMWAVE_PARALLEL_LIMIT",
        new Mapping(
            "DEPLOYER_PARALLEL_LIMIT",
            v -> v.strip().equals("0") ? Optional.empty() : Optional.of(v)));
    MAPPINGS.put(
        "HELMWAVE_LOG_FORMAT",
        new Mapping(
            "DEPLOYER_LOG_FORMAT",
            v ->
                Optional.of(
                    switch (v.strip().toLowerCase(Locale.ROOT)) {
                      case "json" -> "json";
                      case "text", "pad", "emoji" -> "text";
                      default -> v;
                    })));
    Function<String, Optional<String>> level =
        v ->
            Optional.of(
                switch (v.strip().toLowerCase(Locale.ROOT)) {
                  case "trace", "debug" -> "debug";
                  case "info" -> "info";
                  case "warn", "warning" -> "warn";
                  case "error", "fatal", "panic" -> "error";
                  default -> v;
                });
    MAPPINGS.put("HELMWAVE_LOG_LEVEL", new Mapping("DEPLOYER_LOG_LEVEL", level));
    MAPPINGS.put("HELMWAVE_LOG_LVL", new Mapping("DEPLOYER_LOG_LEVEL", level));
    // --log-color=false is deployer's --no-color; true is the default already.
    MAPPINGS.put(
        "HELMWAVE_LOG_COLOR",
        new Mapping(
            "DEPLOYER_NO_COLOR", v -> goBool(v).filter("false"::equals).map(off -> "true")));
  }

  /** The helmwave variables that would change what is built, and deployer does not support. */
  static final Map<String, String> REFUSED =
      Map.of(
          "HELMWAVE_REMOTE_SOURCE",
          "deployer does not download build sources (go-getter): check the sources out and run"
              + " deployer in that directory");

  /** The helmwave variables read, in the order they are documented. */
  static List<String> names() {
    return List.copyOf(MAPPINGS.keySet());
  }

  /**
   * {@code environment} with the {@code DEPLOYER_*} variable of each {@code HELMWAVE_*} variable
   * set in it, unless that one is set already; the first helmwave name helmwave itself reads wins.
   */
  static Map<String, String> translate(Map<String, String> environment) {
    Map<String, String> out = new TreeMap<>(environment);
    for (Map.Entry<String, Mapping> e : MAPPINGS.entrySet()) {
      String value = environment.get(e.getKey());
      String deployer = e.getValue().deployer();
      if (value == null || value.isEmpty() || nonEmpty(out.get(deployer))) {
        continue;
      }
      e.getValue().value().apply(value).ifPresent(v -> out.put(deployer, v));
    }
    return Map.copyOf(out);
  }

  /** The first refused helmwave variable set, with why it is refused. */
  static Optional<String> refused(Map<String, String> environment) {
    return REFUSED.entrySet().stream()
        .filter(e -> nonEmpty(environment.get(e.getKey())))
        .map(e -> e.getKey() + " is set, but " + e.getValue())
        .sorted()
        .findFirst();
  }

  private static boolean nonEmpty(String s) {
    return s != null && !s.isEmpty();
  }

  /** A boolean as Go's strconv.ParseBool spells it (also t and f), in deployer's spelling. */
  private static Optional<String> goBool(String v) {
    return Optional.of(
        switch (v.strip()) {
          case "1", "t", "T", "true", "TRUE", "True" -> "true";
          case "0", "f", "F", "false", "FALSE", "False" -> "false";
          default -> v;
        });
  }
}
