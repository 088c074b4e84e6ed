package dev.deployer.core.plan;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a plan's parts against each other and against the files it names: unique names, references
 * to monitors and repositories, local charts and values files. Release dependencies are checked by
 * the release graph.
 */
public final class PlanChecks {
  private PlanChecks() {}

  public static void check(Plan plan, Problems problems) {
    Path base = plan.baseDir();
    unique(
        problems,
        plan.repositories(),
        Repository::name,
        Repository::location,
        "repositories",
        "repository");
    unique(problems, plan.monitors(), Monitor::name, Monitor::location, "monitors", "monitor");
    unique(
        problems, plan.releases(), Release::uniqueName, Release::location, "releases", "release");
    List<Release> releases = plan.releases();
    for (int i = 0; i < releases.size(); i++) {
      Release r = releases.get(i);
      String path = "releases[" + i + "]";
      checkChart(plan, base, r.chart(), path + ".chart", problems);
      for (int v = 0; v < r.values().size(); v++) {
        ValuesFile values = r.values().get(v);
        if (isRemote(values.src())) {
          continue;
        }
        if (!isFile(base, values.src())) {
          String field = path + ".values[" + v + "]";
          if (values.strict()) {
            problems.error(
                values.location(),
                field,
                "values file \"" + values.src() + "\" does not exist (strict)");
          } else {
            problems.warning(
                values.location(),
                field,
                "values file \"" + values.src() + "\" does not exist; skipped");
          }
        }
      }
      for (int m = 0; m < r.monitors().size(); m++) {
        MonitorRef ref = r.monitors().get(m);
        if (plan.monitor(ref.name()).isEmpty()) {
          problems.error(
              ref.location(),
              path + ".monitors[" + m + "]",
              "monitor \""
                  + ref.name()
                  + "\" is not defined under monitors"
                  + known(plan.monitors().stream().map(Monitor::name).toList()));
        }
      }
    }
  }

  private static void checkChart(
      Plan plan, Path base, Chart chart, String field, Problems problems) {
    switch (chart.kind()) {
      case LOCAL_DIRECTORY -> {
        if (chart.name().isEmpty()) {
          return;
        }
        if (!isDirectory(base, chart.name())) {
          problems.error(
              chart.location(),
              field,
              "local chart directory \"" + chart.name() + "\" does not exist");
        } else if (!Files.isRegularFile(base.resolve(chart.name()).resolve("Chart.yaml"))) {
          problems.error(
              chart.location(),
              field,
              "\"" + chart.name() + "\" has no Chart.yaml, so it is not a chart");
        }
      }
      case ARCHIVE -> {
        if (!isRemote(chart.name()) && !isFile(base, chart.name())) {
          problems.error(
              chart.location(), field, "chart archive \"" + chart.name() + "\" does not exist");
        }
      }
      case REPOSITORY -> {
        String repo = chart.repositoryName().orElseThrow();
        if (plan.repository(repo).isEmpty()) {
          problems.error(
              chart.location(),
              field,
              "\""
                  + chart.name()
                  + "\" is neither a local chart directory nor in a declared repository: add \""
                  + repo
                  + "\" under repositories");
        }
      }
      case OCI -> {
        // The reader checked the reference's form; the registry is reached at build time.
      }
    }
  }

  private static boolean isRemote(String src) {
    return src.startsWith("http://") || src.startsWith("https://");
  }

  private static String known(List<String> names) {
    return names.isEmpty()
        ? " (the plan defines none)"
        : " (defined: " + String.join(", ", names) + ")";
  }

  private static <T> void unique(
      Problems problems,
      List<T> items,
      java.util.function.Function<T, String> name,
      java.util.function.Function<T, Location> location,
      String list,
      String what) {
    Map<String, Integer> first = new HashMap<>();
    for (int i = 0; i < items.size(); i++) {
      String n = name.apply(items.get(i));
      if (n.isEmpty()) {
        continue;
      }
      Integer earlier = first.putIfAbsent(n, i);
      if (earlier != null) {
        problems.error(
            location.apply(items.get(i)),
            list + "[" + i + "]",
            what
                + " \""
                + n
                + "\" is defined twice (first as "
                + list
                + "["
                + earlier
                + "] at line "
                + location.apply(items.get(earlier)).line()
                + ")");
      }
    }
  }

  /** Whether {@code name} under {@code base} is a file; a name no path can have is none. */
  static boolean isFile(Path base, String name) {
    try {
      return Files.isRegularFile(base.resolve(name));
    } catch (java.nio.file.InvalidPathException e) {
      return false;
    }
  }

  /** Whether {@code name} under {@code base} is a directory; a name no path can have is none. */
  static boolean isDirectory(Path base, String name) {
    try {
      return Files.isDirectory(base.resolve(name));
    } catch (java.nio.file.InvalidPathException e) {
      return false;
    }
  }
}
