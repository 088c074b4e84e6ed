package dev.deployer.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.deployer.core.Plans;
import dev.deployer.core.TestFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feeds the plan reader thousands of broken variants of real plans (the examples, a helmwave plan,
 * the plans of this module's tests), made from a fixed seed: bytes replaced, lines deleted,
 * duplicated or moved, values of the wrong type, deep nesting, anchors and aliases. For each, the
 * reader must end within a bounded time, either with a plan or with its own {@link PlanException},
 * and every problem it reports must name a line and be free of Java class names.
 *
 * <p>{@code -Dfuzz.mutants=N} (default 2,500) and {@code -Dfuzz.seed=S} change the run; {@code
 * bench/fuzz-plans.sh} runs a larger one.
 */
class PlanReaderFuzzTest {
  private static final int MUTANTS = Integer.getInteger("fuzz.mutants", 2_500);
  private static final long SEED = Long.getLong("fuzz.seed", 20261212L);

  /** Far above what any input here takes (a few ms); only a hang or a blow-up reaches it. */
  private static final long SECONDS_PER_INPUT = 10;

  private static final Pattern JAVA_NAME =
      Pattern.compile("\\b(java|javax|org|dev|com)\\.[a-z]+\\.|Exception\\b|\\bError:|\\$[A-Z]");

  private static final String[] ODD_VALUES = {
    "[a, b]",
    "{a: 1}",
    "~",
    "''",
    "true",
    "-1",
    "0",
    "99999999999999999999",
    "4294967297",
    "2147483648",
    "'oci://'",
    "'oci://registry.example/c:bad tag'",
    "'http//no-scheme'",
    "'GE T'",
    "v1.31banana",
    "'>= one'",
    "{<<: *undefined}",
    "3000000h",
    "1.5",
    "0x1F",
    "!!binary AAAA",
    "!custom x",
    "*undefined",
    "&a [*a]",
    "'(['",
    "\"\\u0000\"",
    "|\n  text",
    "[" + "[".repeat(150) + "]".repeat(150) + "]",
    "{x: " + "{x: ".repeat(150) + "1" + "}".repeat(150) + "}",
  };

  private static final String[] ODD_BYTES = {
    ":",
    "-",
    "[",
    "]",
    "{",
    "}",
    "&",
    "*",
    "!",
    "#",
    "'",
    "\"",
    "\t",
    "\n",
    "%",
    "@",
    "|",
    ">",
    "<<",
    " ",
    "?",
    ",",
    "\\",
    "0",
    "\u00e9",
    "\ud83d\ude00",
    "\u0000",
    "\r"
  };

  @TempDir Path dir;
  private final ExecutorService reader = Executors.newSingleThreadExecutor(daemon());

  @AfterEach
  void stop() {
    reader.shutdownNow();
  }

  private static java.util.concurrent.ThreadFactory daemon() {
    return r -> {
      // The JVM's default stack size, as the CLI's main thread has: the reader must bound nesting
      // itself rather than rely on a deep stack.
      Thread t = new Thread(null, r, "plan-fuzz", 0);
      t.setDaemon(true);
      return t;
    };
  }

  @Test
  void brokenVariantsOfRealPlansEndInAPlanOrProblemsWithALocation() throws Exception {
    List<Path> seeds = seeds();
    assertThat(seeds).hasSizeGreaterThanOrEqualTo(5);
    Random random = new Random(SEED);
    int accepted = 0;
    int rejected = 0;
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < MUTANTS && failures.size() < 5; i++) {
      Path seed = seeds.get(random.nextInt(seeds.size()));
      String original = Files.readString(seed);
      int steps = 1 + random.nextInt(3);
      String mutant = original;
      List<String> applied = new ArrayList<>();
      for (int s = 0; s < steps; s++) {
        Mutation m = Mutation.values()[random.nextInt(Mutation.values().length)];
        mutant = m.apply(mutant, random);
        applied.add(m.name());
      }
      Path file = seed.resolveSibling("fuzz-mutant.yml");
      Files.write(file, bytes(mutant, random));
      String what = "mutant " + i + " of " + seed.getFileName() + " (" + applied + ")";
      Outcome outcome = read(file);
      switch (outcome.kind) {
        case ACCEPTED -> accepted++;
        case REJECTED -> {
          rejected++;
          for (Problem p : outcome.problems) {
            boolean wholeFile = p.message().equals("the plan file is empty");
            if (p.location().line() <= 0 && !wholeFile) {
              failures.add(what + ": problem without a line: " + p);
            }
            if (JAVA_NAME.matcher(p.message()).find()) {
              failures.add(what + ": problem shows a Java name: " + p);
            }
          }
        }
        case CRASHED, HUNG -> failures.add(what + ": " + outcome.detail);
      }
      if (failures.size() > 0 && failures.get(failures.size() - 1).startsWith(what)) {
        failures.add("  input was:\n" + abbreviate(mutant));
      }
    }
    System.out.printf(
        "plan fuzz: seed %d, %d mutants, %d accepted, %d rejected%n",
        SEED, accepted + rejected, accepted, rejected);
    assertThat(failures).isEmpty();
    // The mutants must exercise both outcomes, or the test would prove little.
    assertThat(rejected).isGreaterThan(MUTANTS / 3);
    assertThat(accepted).isGreaterThan(MUTANTS / 50);
  }

  private enum Kind {
    ACCEPTED,
    REJECTED,
    CRASHED,
    HUNG
  }

  private record Outcome(Kind kind, List<Problem> problems, String detail) {}

  private Outcome read(Path file) throws InterruptedException {
    Future<Outcome> result =
        reader.submit(
            () -> {
              try {
                Plans.load(file, event -> {});
                return new Outcome(Kind.ACCEPTED, List.of(), "");
              } catch (PlanException e) {
                return new Outcome(Kind.REJECTED, e.problems(), "");
              } catch (Throwable t) {
                return new Outcome(Kind.CRASHED, List.of(), "threw " + t);
              }
            });
    try {
      return result.get(SECONDS_PER_INPUT, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      result.cancel(true);
      return new Outcome(Kind.HUNG, List.of(), "still reading after " + SECONDS_PER_INPUT + " s");
    } catch (java.util.concurrent.ExecutionException e) {
      return new Outcome(Kind.CRASHED, List.of(), "threw " + e.getCause());
    }
  }

  /** Real plans, each copied with its folder so that its charts and values files resolve. */
  private List<Path> seeds() throws IOException {
    Path root = Path.of("").toAbsolutePath();
    Path repo = Files.isDirectory(root.resolve("examples")) ? root : root.getParent();
    List<Path> seeds = new ArrayList<>();
    int n = 0;
    for (Path plan :
        List.of(
            repo.resolve("examples/quickstart/deployer.yml"),
            repo.resolve("examples/monitors/deployer.yml"),
            repo.resolve("core/src/test/resources/helmwave/helmwave.yml"))) {
      Path copy = dir.resolve("seed" + n++);
      TestFiles.copyTree(plan.getParent(), copy);
      seeds.add(copy.resolve(plan.getFileName()));
    }
    // Plans from this module's tests, each a text block under "releases:".
    Path tests = repo.resolve("core/src/test/java/dev/deployer/core");
    Pattern block = Pattern.compile("\"\"\"\\n((?:[ ]*[^\\n]*\\n)*?)[ ]*\"\"\"");
    try (Stream<Path> sources = Files.walk(tests)) {
      for (Path source :
          sources
              .filter(p -> p.toString().matches(".*(PlanReader|ReleaseGraph)Test\\.java"))
              .sorted()
              .toList()) {
        var m = block.matcher(Files.readString(source));
        while (m.find()) {
          String text = m.group(1).stripIndent();
          if (text.contains("releases:")) {
            Path folder = dir.resolve("seed" + n++);
            write(
                folder.resolve("charts/api/Chart.yaml"),
                "apiVersion: v2\nname: api\nversion: 0.1.0\n");
            write(
                folder.resolve("charts/db/Chart.yaml"),
                "apiVersion: v2\nname: db\nversion: 0.1.0\n");
            write(folder.resolve("c/Chart.yaml"), "apiVersion: v2\nname: c\nversion: 0.1.0\n");
            write(folder.resolve("values/api.yml"), "replicas: 2\n");
            write(folder.resolve("values/api-prod.yml"), "replicas: 3\n");
            seeds.add(write(folder.resolve("deployer.yml"), text));
          }
        }
      }
    }
    return seeds;
  }

  private static Path write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }

  /** The mutant's bytes; now and then a byte that is not UTF-8, or a cut in the middle. */
  private static byte[] bytes(String mutant, Random random) {
    byte[] b = mutant.getBytes(StandardCharsets.UTF_8);
    int roll = random.nextInt(40);
    if (roll == 0 && b.length > 0) {
      b[random.nextInt(b.length)] = (byte) (0x80 + random.nextInt(0x80));
    } else if (roll == 1 && b.length > 1) {
      b = Arrays.copyOf(b, random.nextInt(b.length));
    }
    return b;
  }

  private static String abbreviate(String s) {
    return s.length() <= 600 ? s : s.substring(0, 600) + "...";
  }

  private enum Mutation {
    REPLACE_CHARACTER {
      @Override
      String apply(String text, Random random) {
        if (text.isEmpty()) {
          return text;
        }
        int at = random.nextInt(text.length());
        return text.substring(0, at) + pick(ODD_BYTES, random) + text.substring(at + 1);
      }
    },
    INSERT_CHARACTER {
      @Override
      String apply(String text, Random random) {
        int at = random.nextInt(text.length() + 1);
        return text.substring(0, at) + pick(ODD_BYTES, random) + text.substring(at);
      }
    },
    DELETE_LINE {
      @Override
      String apply(String text, Random random) {
        return atRandomLine(text, random, (lines, at) -> lines.remove(at));
      }
    },
    DUPLICATE_LINE {
      @Override
      String apply(String text, Random random) {
        return atRandomLine(text, random, (lines, at) -> lines.add(at, lines.get(at)));
      }
    },
    MOVE_LINE {
      @Override
      String apply(String text, Random random) {
        List<String> lines = lines(text);
        if (lines.size() > 1) {
          String line = lines.remove(random.nextInt(lines.size()));
          lines.add(random.nextInt(lines.size() + 1), line);
        }
        return String.join("\n", lines);
      }
    },
    INDENT_LINE {
      @Override
      String apply(String text, Random random) {
        return atRandomLine(
            text,
            random,
            (lines, at) -> {
              String line = lines.get(at);
              lines.set(at, random.nextBoolean() ? "  " + line : line.replaceFirst("^ {1,2}", ""));
            });
      }
    },
    SWAP_VALUE_TYPE {
      @Override
      String apply(String text, Random random) {
        List<String> lines = lines(text);
        List<Integer> withValues = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
          if (lines.get(i).matches("\\s*-?\\s*[\\w.<]+:\\s+\\S.*")) {
            withValues.add(i);
          }
        }
        if (!withValues.isEmpty()) {
          int at = withValues.get(random.nextInt(withValues.size()));
          String line = lines.get(at);
          int colon = line.indexOf(": ");
          lines.set(at, line.substring(0, colon + 2) + pick(ODD_VALUES, random));
        }
        return String.join("\n", lines);
      }
    },
    NEST_DEEPLY {
      @Override
      String apply(String text, Random random) {
        int depth = 20 + random.nextInt(2_000);
        String nest =
            random.nextBoolean()
                ? "[".repeat(depth) + "]".repeat(depth)
                : "{a: ".repeat(depth) + "1" + "}".repeat(depth);
        return text + "\nx-deep: " + nest + "\n";
      }
    },
    NEST_BLOCKS {
      @Override
      String apply(String text, Random random) {
        int depth = 20 + random.nextInt(300);
        StringBuilder sb = new StringBuilder(text).append("\nx-blocks:\n");
        for (int i = 1; i <= depth; i++) {
          sb.append("  ".repeat(i)).append(i % 2 == 0 ? "- " : "k: ").append('\n');
        }
        return sb.toString().replace(":  \n", ":\n");
      }
    },
    ALIAS_BOMB {
      @Override
      String apply(String text, Random random) {
        StringBuilder sb = new StringBuilder(text).append("\n.b0: &b0 [x, x, x, x, x, x, x, x]\n");
        int levels = 3 + random.nextInt(10);
        for (int i = 1; i <= levels; i++) {
          sb.append(".b").append(i).append(": &b").append(i).append(" [");
          sb.append(String.join(", ", java.util.Collections.nCopies(8, "*b" + (i - 1))));
          sb.append("]\n");
        }
        String use = "store: {bomb: *b" + levels + "}";
        return sb.toString().replaceFirst("(?m)^(\\s+)chart: (\\S+)\\s*$", "$1chart: $2\n$1" + use);
      }
    },
    RECURSIVE_ALIAS {
      @Override
      String apply(String text, Random random) {
        return switch (random.nextInt(3)) {
          case 0 -> text.replaceFirst("releases:", "releases: &loop") + "\nx-loop: *loop\n";
          case 1 ->
              text.replaceFirst(
                  "(?m)^(\\s+)chart: (\\S+)\\s*$", "$1chart: $2\n$1store: &s {me: *s}");
          default ->
              text.replaceFirst("(?m)^(\\s*)- name: ", "$1- &self\n$1  <<: *self\n$1  name: ");
        };
      }
    },
    MERGE_MANY {
      @Override
      String apply(String text, Random random) {
        int copies = 50 + random.nextInt(200);
        StringBuilder sb = new StringBuilder(".m: &m {wait: true, timeout: 1m}\n").append(text);
        sb.append("\nx-many:\n");
        for (int i = 0; i < copies; i++) {
          sb.append("  - {<<: *m, n: ").append(i).append("}\n");
        }
        return sb.toString();
      }
    },
    TRUNCATE {
      @Override
      String apply(String text, Random random) {
        return text.isEmpty() ? text : text.substring(0, random.nextInt(text.length()));
      }
    };

    abstract String apply(String text, Random random);

    /** A change to the line at index {@code at}. */
    private interface LineChange {
      void apply(List<String> lines, int at);
    }

    /** The text with {@code change} made at a line picked at random. */
    private static String atRandomLine(String text, Random random, LineChange change) {
      List<String> lines = lines(text);
      if (!lines.isEmpty()) {
        change.apply(lines, random.nextInt(lines.size()));
      }
      return String.join("\n", lines);
    }

    static List<String> lines(String text) {
      return new ArrayList<>(Arrays.asList(text.split("\n", -1)));
    }

    static String pick(String[] options, Random random) {
      return options[random.nextInt(options.length)];
    }
  }

  static {
    // Fail early and clearly when the repository layout changes.
    if (!Files.isDirectory(Path.of("").toAbsolutePath().resolve("src/test"))
        && !Files.isDirectory(Path.of("").toAbsolutePath().resolve("core/src/test"))) {
      throw new UncheckedIOException(new IOException("run from the repository or core/"));
    }
  }
}
