package dev.deployer.core.plan;

import dev.deployer.core.chart.ChartReference;
import dev.deployer.core.chart.ChartYaml;
import dev.deployer.core.chart.HelmRepository;
import dev.deployer.core.chart.VersionSelector;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads a plan file into a {@link Plan}. Field-level problems (unknown keys, bad values, missing
 * required fields) are all collected; relations between releases are checked later by {@link
 * PlanChecks} and the release graph.
 */
public final class PlanReader {
  static final Set<String> TOP_LEVEL_KEYS =
      Set.of(
          "project", "version", "repositories", "registries", "monitors", "releases", "lifecycle");
  static final Set<String> RELEASE_KEYS =
      Set.of(
          "name",
          "namespace",
          "context",
          "chart",
          "values",
          "tags",
          "depends_on",
          "monitors",
          "wait",
          "wait_for_jobs",
          "timeout",
          "atomic",
          "create_namespace",
          "max_history",
          "pending_release_strategy",
          "rollout_restart",
          "allow_failure",
          "offline_kube_version",
          "description",
          "store",
          "lifecycle",
          "cleanup_on_fail",
          "disable_hooks",
          "disable_open_api_validation",
          "force",
          "recreate",
          "reset_values",
          "reuse_values",
          "skip_crds",
          "enable_dns",
          "show_notes",
          "sub_notes",
          "post_renderer",
          "delete_propagation");
  static final Set<String> CHART_KEYS =
      Set.of(
          "name",
          "version",
          "username",
          "password",
          "ca_file",
          "cert_file",
          "key_file",
          "insecure_skip_tls_verify",
          "skip_dependency_update",
          "skip_refresh");
  static final Set<String> VALUES_KEYS =
      Set.of("src", "strict", "renderer", "delimiter_left", "delimiter_right");
  static final Set<String> DEPENDENCY_KEYS = Set.of("name", "tag", "optional");
  static final Set<String> MONITOR_REF_KEYS = Set.of("name", "action");
  static final Set<String> REPOSITORY_KEYS =
      Set.of(
          "name",
          "url",
          "username",
          "password",
          "caFile",
          "certFile",
          "keyFile",
          "ca_file",
          "cert_file",
          "key_file",
          "insecure_skip_tls_verify",
          "pass_credentials_all",
          "force");
  static final Set<String> REGISTRY_KEYS = Set.of("host", "username", "password", "insecure");
  static final Set<String> HOOK_KEYS = Set.of("cmd", "args", "show", "allow_failure");
  static final Set<String> MONITOR_KEYS =
      Set.of(
          "name",
          "type",
          "interval",
          "iteration_timeout",
          "total_timeout",
          "success_threshold",
          "failure_threshold",
          "on_error",
          "prometheus",
          "http",
          "elasticsearch",
          "sentry",
          "kubernetes");
  static final Set<String> PROMETHEUS_KEYS =
      Set.of(
          "url",
          "expr",
          "success_mode",
          "username",
          "password",
          "bearer_token",
          "ca_file",
          "insecure");
  static final Set<String> HTTP_KEYS =
      Set.of("url", "method", "headers", "body", "expected_codes", "body_regex", "insecure");
  static final Set<String> ELASTICSEARCH_KEYS =
      Set.of(
          "url", "index", "query", "query_file", "max_count", "username", "password", "insecure");
  static final Set<String> SENTRY_KEYS =
      Set.of("url", "api_key", "organization", "project", "tags", "message_regexp", "max_count");
  static final Set<String> KUBERNETES_KEYS = Set.of("max_restarts", "require_ready", "flap_window");

  private final Path file;
  private final Problems problems;

  private PlanReader(Path file, Problems problems) {
    this.file = file;
    this.problems = problems;
  }

  /**
   * Lists and mappings may nest this deep; real plans stay far below (a release's {@code store} is
   * the deepest part), and snakeyaml builds nodes recursively.
   */
  static final int MAX_NESTING = 100;

  /**
   * Aliases to lists and mappings a plan may hold. snakeyaml's default of 50 rejects helmwave plans
   * where every release merges {@code <<: *defaults}; an alias costs one reference, and the parts
   * of the reader that copy what an alias points at (free-form {@code store}) count what they copy.
   */
  static final int MAX_ALIASES = 100_000;

  /** Values one release's {@code store} may hold once its aliases are expanded. */
  static final int MAX_STORE_VALUES = 100_000;

  /**
   * Reads the plan at {@code file}. Problems go to {@code problems}; the plan returned is complete
   * but may hold defaults where the file was wrong, so callers check {@link Problems#hasErrors()}.
   */
  public static Plan read(Path file, Problems problems) {
    if (Files.isDirectory(file)) {
      problems.error(Location.of(file), "", "is a directory, not a plan file");
      return empty(file);
    }
    Optional<String> special = specialFile(file);
    if (special.isPresent()) {
      // Reading a pipe waits for a writer and a device may never end: refuse before opening it.
      problems.error(
          Location.of(file),
          "",
          "is " + special.get() + ", not a plan file; write the plan to a file and name that");
      return empty(file);
    }
    try {
      byte[] bytes = Files.readAllBytes(file);
      String text;
      try {
        text =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
      } catch (CharacterCodingException e) {
        problems.error(notUtf8(file, bytes), "", "the file is not UTF-8 text");
        return empty(file);
      }
      return read(file, new StringReader(text), problems);
    } catch (NoSuchFileException e) {
      problems.error(Location.of(file), "", "the plan file does not exist");
    } catch (AccessDeniedException e) {
      problems.error(Location.of(file), "", "cannot read the plan file: permission denied");
    } catch (IOException e) {
      problems.error(Location.of(file), "", "cannot read the plan file: " + ioReason(e));
    }
    return empty(file);
  }

  /** "a pipe" or "a device" when {@code file} exists and is one (or anything but a file). */
  private static Optional<String> specialFile(Path file) {
    java.nio.file.attribute.BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class);
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // reading reports it
    }
    if (attributes.isRegularFile()) {
      return Optional.empty();
    }
    Object mode;
    try {
      mode = Files.getAttribute(file, "unix:mode");
    } catch (IOException | RuntimeException e) {
      return Optional.of("not a regular file");
    }
    int type = (Integer) mode & 0170000;
    return Optional.of(type == 0010000 ? "a pipe" : type == 0140000 ? "a socket" : "a device");
  }

  /**
   * The largest stretch snakeyaml reads at once. Its reader copies the unread rest of its window on
   * every refill, and a scalar stays unread until it ends: read 1,024 characters at a time (its
   * default), a 10 MB scalar was copied ten thousand times (27 s); in 1 MB refills, ten times.
   */
  public static final int READ_BUFFER = 1 << 20;

  /** Reads a plan from text; {@code file} names it in problems and anchors relative paths. */
  public static Plan read(Path file, Reader reader, Problems problems) {
    String text;
    try {
      StringBuilder sb = new StringBuilder();
      char[] buffer = new char[8192];
      for (int n; (n = reader.read(buffer)) >= 0; ) {
        sb.append(buffer, 0, n);
      }
      text = sb.toString();
    } catch (IOException e) {
      problems.error(Location.of(file), "", "cannot read the plan file: " + ioReason(e));
      return empty(file);
    }
    LoadSettings settings =
        LoadSettings.builder()
            .setLabel(file.toString())
            .setUseMarks(true)
            .setSchema(new CoreSchema())
            .setCodePointLimit(64 * 1024 * 1024)
            .setMaxAliasesForCollections(MAX_ALIASES)
            .setBufferSize(Math.min(READ_BUFFER, text.length() + 1))
            .build();
    Optional<Node> root;
    try {
      root =
          new Composer(
                  settings,
                  new DepthLimitedParser(
                      new ParserImpl(settings, new StreamReader(settings, new StringReader(text))),
                      MAX_NESTING))
              .getSingleNode();
    } catch (ReaderException e) {
      problems.error(
          atCodePoint(file, text, e.getPosition()),
          "",
          String.format(
              "the file holds a character YAML does not allow (U+%04X); write it escaped in a"
                  + " double-quoted string",
              e.getCodePoint()));
      return empty(file);
    } catch (MarkedYamlEngineException e) {
      Location where =
          e.getProblemMark()
              .map(m -> new Location(file, m.getLine() + 1, m.getColumn() + 1))
              .orElse(Location.of(file));
      problems.error(where, "", "not valid YAML: " + e.getProblem());
      return empty(file);
    } catch (YamlEngineException e) {
      problems.error(Location.of(file), "", "not valid YAML: " + engineReason(e));
      return empty(file);
    }
    if (root.isEmpty()) {
      problems.error(Location.of(file), "", "the plan file is empty");
      return empty(file);
    }
    return new PlanReader(file, problems).plan(root.get());
  }

  /** The line and column of the code point at {@code position} in {@code text}. */
  private static Location atCodePoint(Path file, String text, int position) {
    int line = 1;
    int column = 1;
    int index = 0;
    for (int i = 0; i < position && index < text.length(); i++) {
      int cp = text.codePointAt(index);
      index += Character.charCount(cp);
      if (cp == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return new Location(file, line, column);
  }

  /**
   * Where the first byte that is not UTF-8 is: the line, and the column in characters before it.
   */
  private static Location notUtf8(Path file, byte[] bytes) {
    var decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    java.nio.CharBuffer out = java.nio.CharBuffer.allocate(bytes.length + 1);
    decoder.decode(in, out, true);
    out.flip();
    int line = 1;
    int column = 1;
    while (out.hasRemaining()) {
      if (out.get() == '\n') {
        line++;
        column = 1;
      } else {
        column++;
      }
    }
    return new Location(file, line, column);
  }

  /** What went wrong in snakeyaml's words, without Java class names. */
  private static String engineReason(YamlEngineException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof CharacterCodingException) {
        return "the file is not UTF-8 text";
      }
      if (t instanceof IOException io) {
        return ioReason(io);
      }
    }
    String message = String.valueOf(e.getMessage());
    return message.replaceFirst("^(?:[a-z]\\w*\\.)+[A-Z]\\w*(?:Exception|Error): ", "");
  }

  private static String ioReason(IOException e) {
    if (e instanceof CharacterCodingException) {
      return "the file is not UTF-8 text";
    }
    String message = e.getMessage();
    return message == null || message.isBlank() ? "an I/O error" : message;
  }

  private static Plan empty(Path file) {
    return new Plan(
        file, "", Optional.empty(), List.of(), List.of(), List.of(), List.of(), Lifecycle.NONE);
  }

  /**
   * A release's deploy options ({@code wait}, {@code timeout}, {@code atomic}, ...), each with its
   * default when unset: the one reading of them, for a plan's release and for a planfile's.
   */
  public static Release.Deployment readDeployment(YamlFields f) {
    Release.Deployment d = Release.Deployment.DEFAULTS;
    long maxHistory = f.integer("max_history", d.maxHistory());
    if (maxHistory < 0 || maxHistory > Integer.MAX_VALUE) {
      f.error("max_history", "must be 0 (no limit) or more, up to " + Integer.MAX_VALUE);
      maxHistory = d.maxHistory();
    }
    return new Release.Deployment(
        f.waitStrategy("wait", d.waitStrategy()),
        f.bool("wait_for_jobs", d.waitForJobs()),
        f.duration("timeout", d.timeout()),
        f.bool("atomic", d.atomic()),
        f.bool("create_namespace", d.createNamespace()),
        (int) Math.max(0, maxHistory),
        f.enumValue(
            "pending_release_strategy",
            Release.PendingReleaseStrategy.class,
            d.pendingReleaseStrategy()),
        f.bool("allow_failure", d.allowFailure()),
        f.bool("cleanup_on_fail", d.cleanupOnFail()),
        f.bool("disable_hooks", d.disableHooks()),
        f.bool("disable_open_api_validation", d.disableOpenApiValidation()),
        f.bool("force", d.force()),
        f.bool("recreate", d.recreate()),
        f.bool("reset_values", d.resetValues()),
        f.bool("reuse_values", d.reuseValues()),
        f.bool("skip_crds", d.skipCrds()),
        f.bool("enable_dns", d.enableDns()),
        f.bool("show_notes", d.showNotes()),
        f.bool("sub_notes", d.subNotes()),
        f.has("post_renderer") ? f.strings("post_renderer") : d.postRenderer(),
        f.string("delete_propagation").or(d::deletePropagation),
        f.bool("rollout_restart", d.rolloutRestart()));
  }

  /**
   * Reads one monitor, written in a plan file's format, from another file's YAML (a planfile's):
   * checked as the plan reader checks a plan's, with problems at {@code file}'s lines.
   */
  public static Optional<Monitor> readMonitor(
      Path file, Problems problems, Node node, String path) {
    return new PlanReader(file, problems).monitor(node, path);
  }

  private YamlFields fields(Node node, String path, Set<String> known) {
    return YamlFields.of(file, problems, path, node, known, false);
  }

  private Plan plan(Node root) {
    YamlFields top = YamlFields.of(file, problems, "", root, TOP_LEVEL_KEYS, true);
    String project = top.string("project", "");
    List<Repository> repositories = top.each("repositories", this::repository);
    List<Registry> registries = top.each("registries", this::registry);
    List<Monitor> monitors = top.each("monitors", this::monitor);
    Set<String> repositoryNames = new java.util.HashSet<>();
    repositories.forEach(r -> repositoryNames.add(r.name()));
    List<Release> releases =
        top.each("releases", (node, path) -> release(node, path, repositoryNames));
    Lifecycle lifecycle =
        top.node("lifecycle").map(n -> lifecycle(n, "lifecycle")).orElse(Lifecycle.NONE);
    if (!top.has("releases") && top.keys().contains("releases") == false) {
      problems.warning(top.location(), "releases", "the plan has no releases");
    }
    return new Plan(
        file,
        project,
        top.string("version"),
        repositories,
        registries,
        monitors,
        releases,
        lifecycle);
  }

  private Optional<Repository> repository(Node node, String path) {
    YamlFields f = fields(node, path, REPOSITORY_KEYS);
    for (String[] spellings :
        new String[][] {
          {"ca_file", "caFile"}, {"cert_file", "certFile"}, {"key_file", "keyFile"}
        }) {
      if (f.has(spellings[0]) && f.has(spellings[1])) {
        f.error(
            spellings[1],
            "is " + spellings[0] + " spelled as Helm does, and both are set: keep one of them");
      }
    }
    String name = f.required("name");
    String url = f.required("url");
    if (!url.isEmpty()) {
      try {
        HelmRepository.url(url);
      } catch (IllegalArgumentException e) {
        f.error("url", e.getMessage());
      }
    }
    return Optional.of(
        new Repository(
            name,
            url,
            f.string("username"),
            f.string("password"),
            f.string("ca_file").or(() -> f.string("caFile")),
            f.string("cert_file").or(() -> f.string("certFile")),
            f.string("key_file").or(() -> f.string("keyFile")),
            f.bool("insecure_skip_tls_verify", false),
            f.bool("pass_credentials_all", false),
            f.location()));
  }

  private Optional<Registry> registry(Node node, String path) {
    YamlFields f = fields(node, path, REGISTRY_KEYS);
    return Optional.of(
        new Registry(
            f.required("host"),
            f.string("username"),
            f.string("password"),
            f.bool("insecure", false),
            f.location()));
  }

  private Optional<Release> release(Node node, String path, Set<String> repositoryNames) {
    YamlFields f = fields(node, path, RELEASE_KEYS);
    String name = f.required("name");
    if (!name.isEmpty() && !name.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?")) {
      f.error(
          "name",
          "\""
              + name
              + "\" is not a valid Helm release name (lower-case letters, digits, '-' and '.')");
    }
    if (name.length() > 53) {
      f.error(
          "name",
          "\"" + name + "\" is " + name.length() + " characters long; Helm takes at most 53");
    }
    String namespace = f.string("namespace", "default");
    if (!namespace.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") || namespace.length() > 63) {
      f.error(
          "namespace",
          "\""
              + namespace
              + "\" is not a Kubernetes namespace name (at most 63 lower-case letters, digits and"
              + " '-', starting and ending with a letter or digit)");
    }
    Chart chart =
        f.node("chart")
            .map(n -> chart(n, f.path("chart"), repositoryNames))
            .orElseGet(
                () -> {
                  problems.error(f.location(), f.path("chart"), "is required");
                  return Chart.local("", f.location());
                });
    Release.Deployment deployment = readDeployment(f);
    return Optional.of(
        Release.of(name, namespace, f.string("context"), chart, f.location())
            .withValues(f.each("values", this::valuesFile))
            .withTags(f.strings("tags"))
            .withDependsOn(f.each("depends_on", this::dependency))
            .withMonitors(f.each("monitors", this::monitorRef))
            .withDeployment(deployment)
            .withOfflineKubeVersion(kubeVersion(f))
            .withDescription(f.string("description"))
            .withStore(store(f))
            .withLifecycle(
                f.node("lifecycle")
                    .map(n -> lifecycle(n, f.path("lifecycle")))
                    .orElse(Lifecycle.NONE)));
  }

  /**
   * What Helm's renderer takes as a Kubernetes version (two or more numbers, the first without a
   * leading zero), with a semver pre-release or build suffix as providers write ({@code
   * v1.33.4-gke.1245000}) and nothing else after it.
   */
  private static final java.util.regex.Pattern KUBE_VERSION =
      java.util.regex.Pattern.compile(
          "v?(0|[1-9][0-9]*)(\\.[0-9]+)+"
              + "(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?");

  private static Optional<String> kubeVersion(YamlFields f) {
    Optional<String> version = f.string("offline_kube_version");
    if (version.isPresent() && !KUBE_VERSION.matcher(version.get()).matches()) {
      f.error(
          "offline_kube_version",
          "\""
              + version.get()
              + "\" is not a Kubernetes version; write it as 1.31.0 (or v1.31.0, 1.31)");
      return Optional.empty();
    }
    return version;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object o) {
    return (Map<String, Object>) o;
  }

  private Chart chart(Node node, String path, Set<String> repositoryNames) {
    YamlFields f;
    String name;
    Location location = YamlFields.at(file, node);
    if (node instanceof ScalarNode s) {
      f = fields(emptyMapping(node), path, CHART_KEYS);
      name = s.getValue().strip();
      if (name.isEmpty()) {
        problems.error(
            location, path, "must name a chart (a directory, an archive, repo/chart or oci://...)");
      }
    } else {
      f = fields(node, path, CHART_KEYS);
      name = f.required("name");
      location = f.location("name");
    }
    Chart.Kind kind = chartKind(name, repositoryNames);
    String namePath = node instanceof ScalarNode ? path : f.path("name");
    Optional<String> version = f.string("version").map(String::strip);
    if (kind == Chart.Kind.OCI) {
      try {
        java.net.URI reference = ChartReference.Oci.parse(name);
        String tag = ChartReference.Oci.tagOf(reference);
        if (!tag.isEmpty() && version.isPresent() && !version.get().equals(tag)) {
          f.error(
              "version",
              version.get()
                  + " differs from the version in the reference ("
                  + tag
                  + "); set only one of them");
          version = Optional.empty();
        }
      } catch (IllegalArgumentException e) {
        problems.error(location, namePath, e.getMessage());
      }
    }
    if (version.isPresent() && kind != Chart.Kind.ARCHIVE) {
      if (!VersionSelector.isConstraint(version.get())) {
        f.error(
            "version",
            "\""
                + version.get()
                + "\" is neither a version nor a range of versions ("
                + VersionSelector.EXAMPLES
                + ")");
      } else if (kind == Chart.Kind.LOCAL_DIRECTORY) {
        checkLocalVersion(f, name, version.get());
      }
    }
    return new Chart(
        name,
        f.string("version"),
        f.string("username"),
        f.string("password"),
        f.string("ca_file"),
        f.string("cert_file"),
        f.string("key_file"),
        f.bool("insecure_skip_tls_verify", false),
        f.bool("skip_dependency_update", false),
        f.bool("skip_refresh", false),
        kind,
        location);
  }

  /**
   * A local chart is rendered as it is, whatever version the plan names: a version other than its
   * {@code Chart.yaml}'s would be recorded, reviewed and deployed as something it is not.
   */
  private void checkLocalVersion(YamlFields f, String name, String version) {
    Path base = file.toAbsolutePath().getParent();
    Path chartYaml;
    ChartYaml meta;
    try {
      chartYaml = base.resolve(name).resolve("Chart.yaml");
      if (!Files.isRegularFile(chartYaml)) {
        return; // PlanChecks reports a directory that is not a chart
      }
      meta = ChartYaml.read(chartYaml);
    } catch (RuntimeException e) {
      return; // a Chart.yaml Helm cannot read either: its lint and render say why
    }
    if (!VersionSelector.satisfies(meta.version(), version)) {
      f.error(
          "version",
          "the local chart "
              + name
              + " is version "
              + (meta.version().isEmpty() ? "(none)" : meta.version())
              + " (its Chart.yaml says so), not "
              + version
              + "; a local chart is used as it is: set the version its Chart.yaml has, or none");
    }
  }

  private Chart.Kind chartKind(String name, Set<String> repositoryNames) {
    if (name.startsWith("oci://")) {
      return Chart.Kind.OCI;
    }
    if (name.endsWith(".tgz") || name.endsWith(".tar.gz")) {
      return Chart.Kind.ARCHIVE;
    }
    if (name.startsWith("/") || name.startsWith("./") || name.startsWith("../")) {
      return Chart.Kind.LOCAL_DIRECTORY;
    }
    int slash = name.indexOf('/');
    if (slash > 0 && repositoryNames.contains(name.substring(0, slash))) {
      return Chart.Kind.REPOSITORY;
    }
    Path base = file.toAbsolutePath().getParent();
    if (base != null && PlanChecks.isDirectory(base, name)) {
      return Chart.Kind.LOCAL_DIRECTORY;
    }
    return slash > 0 && slash == name.lastIndexOf('/')
        ? Chart.Kind.REPOSITORY
        : Chart.Kind.LOCAL_DIRECTORY;
  }

  private static Node emptyMapping(Node at) {
    return new MappingNode(
        org.snakeyaml.engine.v2.nodes.Tag.MAP,
        false,
        List.of(),
        org.snakeyaml.engine.v2.common.FlowStyle.AUTO,
        at.getStartMark(),
        at.getEndMark());
  }

  private Optional<ValuesFile> valuesFile(Node node, String path) {
    ValuesFile values;
    if (node instanceof ScalarNode s) {
      values =
          new ValuesFile(
              s.getValue(),
              false,
              Optional.empty(),
              Optional.empty(),
              Optional.empty(),
              YamlFields.at(file, node));
    } else {
      YamlFields f = fields(node, path, VALUES_KEYS);
      values =
          new ValuesFile(
              f.required("src"),
              f.bool("strict", false),
              f.string("renderer"),
              f.string("delimiter_left"),
              f.string("delimiter_right"),
              f.location());
    }
    String src = values.src();
    if (src.startsWith("http://") || src.startsWith("https://")) {
      // build fetches it: a URL it cannot parse is a plan problem, not a failed build
      try {
        if (new java.net.URI(src).getHost() == null) {
          throw new java.net.URISyntaxException(src, "no host");
        }
      } catch (java.net.URISyntaxException e) {
        problems.error(values.location(), path, "\"" + src + "\" is not an http(s) URL");
      }
    }
    return Optional.of(values);
  }

  private Optional<Dependency> dependency(Node node, String path) {
    Location location = YamlFields.at(file, node);
    if (node instanceof ScalarNode s) {
      if (s.getValue().isBlank()) {
        problems.error(location, path, "must name a release");
        return Optional.empty();
      }
      return Optional.of(
          new Dependency(Optional.of(s.getValue()), Optional.empty(), false, location));
    }
    YamlFields f = fields(node, path, DEPENDENCY_KEYS);
    Optional<String> name = f.string("name");
    Optional<String> tag = f.string("tag");
    if (name.isPresent() == tag.isPresent()) {
      problems.error(location, path, "set exactly one of \"name\" and \"tag\"");
      return Optional.empty();
    }
    return Optional.of(new Dependency(name, tag, f.bool("optional", false), location));
  }

  private Optional<MonitorRef> monitorRef(Node node, String path) {
    if (node instanceof ScalarNode s) {
      return Optional.of(
          new MonitorRef(s.getValue(), MonitorRef.Action.NONE, YamlFields.at(file, node)));
    }
    YamlFields f = fields(node, path, MONITOR_REF_KEYS);
    return Optional.of(
        new MonitorRef(
            f.required("name"),
            f.enumValue("action", MonitorRef.Action.class, MonitorRef.Action.NONE),
            f.location()));
  }

  private Optional<Monitor> monitor(Node node, String path) {
    YamlFields f = fields(node, path, MONITOR_KEYS);
    String name = f.required("name");
    Monitor.Type type = f.enumValue("type", Monitor.Type.class, null);
    if (type == null) {
      if (!f.has("type")) {
        problems.error(
            f.location(),
            f.path("type"),
            "is required (prometheus, http, elasticsearch, sentry or kubernetes)");
      }
      return Optional.empty();
    }
    for (Monitor.Type other : Monitor.Type.values()) {
      if (other != type && f.has(other.yamlName())) {
        f.error(
            other.yamlName(),
            "belongs to monitors of type "
                + other.yamlName()
                + ", but this one is "
                + type.yamlName());
      }
    }
    var interval = f.duration("interval", Monitor.DEFAULT_INTERVAL);
    var iterationTimeout = f.duration("iteration_timeout", Monitor.DEFAULT_ITERATION_TIMEOUT);
    var totalTimeout = f.duration("total_timeout", Monitor.DEFAULT_TOTAL_TIMEOUT);
    Map<String, java.time.Duration> durations =
        Map.of(
            "interval",
            interval,
            "iteration_timeout",
            iterationTimeout,
            "total_timeout",
            totalTimeout);
    durations.forEach(
        (key, value) -> {
          if (value.isZero()) {
            f.error(key, "must be more than zero");
          }
        });
    if (iterationTimeout.compareTo(totalTimeout) > 0) {
      f.error(
          "iteration_timeout",
          "("
              + GoDuration.format(iterationTimeout)
              + ") is longer than total_timeout ("
              + GoDuration.format(totalTimeout)
              + ")");
    }
    int success = threshold(f, "success_threshold");
    int failure = threshold(f, "failure_threshold");
    Monitor.OnError onError = f.enumValue("on_error", Monitor.OnError.class, Monitor.OnError.ERROR);
    Node settings = f.node(type.yamlName()).orElse(null);
    String settingsPath = f.path(type.yamlName());
    Monitor.Probe probe;
    if (settings == null && type != Monitor.Type.KUBERNETES) {
      problems.error(
          f.location(), settingsPath, "is required for a monitor of type " + type.yamlName());
      return Optional.empty();
    }
    probe =
        switch (type) {
          case PROMETHEUS -> prometheus(fields(settings, settingsPath, PROMETHEUS_KEYS));
          case HTTP -> http(fields(settings, settingsPath, HTTP_KEYS));
          case ELASTICSEARCH -> elasticsearch(fields(settings, settingsPath, ELASTICSEARCH_KEYS));
          case SENTRY -> sentry(fields(settings, settingsPath, SENTRY_KEYS));
          case KUBERNETES ->
              kubernetes(
                  fields(
                      settings == null ? emptyMapping(node) : settings,
                      settingsPath,
                      KUBERNETES_KEYS));
        };
    return Optional.of(
        new Monitor(
            name,
            type,
            interval,
            iterationTimeout,
            totalTimeout,
            success,
            failure,
            onError,
            probe,
            f.location(),
            literalSecrets(settings, settingsPath, probe, f.location())));
  }

  /**
   * The credentials a monitor's settings hold as literal text, each warned about where it is
   * written; {@code build} refuses them.
   */
  private List<Problem> literalSecrets(
      Node block, String path, Monitor.Probe probe, Location fallback) {
    List<Problem> found = new ArrayList<>();
    java.util.function.BiConsumer<List<String>, String> add =
        (keys, what) -> {
          found.add(
              new Problem(
                  locate(block, keys).orElse(fallback),
                  path + "." + String.join(".", keys),
                  MonitorSecrets.advice(what)));
        };
    String url;
    if (probe instanceof Monitor.PrometheusProbe p) {
      url = p.url();
      literal(p.password(), () -> add.accept(List.of("password"), "a password"));
      literal(p.bearerToken(), () -> add.accept(List.of("bearer_token"), "a bearer token"));
    } else if (probe instanceof Monitor.HttpProbe h) {
      url = h.url();
      new java.util.TreeMap<>(h.headers())
          .forEach(
              (name, value) -> {
                if (MonitorSecrets.isSensitiveName(name) && MonitorSecrets.isLiteral(value)) {
                  add.accept(List.of("headers", name), "the credentials of header " + name);
                }
              });
    } else if (probe instanceof Monitor.ElasticsearchProbe e) {
      url = e.url();
      literal(e.password(), () -> add.accept(List.of("password"), "a password"));
    } else if (probe instanceof Monitor.SentryProbe s) {
      url = s.url();
      literal(s.apiKey(), () -> add.accept(List.of("api_key"), "an API token"));
    } else {
      return found;
    }
    if (MonitorSecrets.hasLiteralPassword(url)) {
      add.accept(List.of("url"), "a password in the URL");
    }
    MonitorSecrets.literalQueryCredential(url)
        .ifPresent(q -> add.accept(List.of("url"), "a credential in the URL's query (" + q + ")"));
    found.sort(
        java.util.Comparator.comparingInt((Problem p) -> p.location().line())
            .thenComparingInt(p -> p.location().column()));
    found.forEach(p -> problems.warning(p.location(), p.field(), p.message()));
    return found;
  }

  private static void literal(Optional<String> value, Runnable then) {
    if (value.filter(MonitorSecrets::isLiteral).isPresent()) {
      then.run();
    }
  }

  /** Where the value at these keys is written, walking mappings from {@code block}. */
  private Optional<Location> locate(Node block, List<String> keys) {
    Node at = block;
    for (String key : keys) {
      if (!(at instanceof MappingNode mapping)) {
        return Optional.empty();
      }
      Node next = null;
      for (NodeTuple t : mapping.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
          next = t.getValueNode();
        }
      }
      if (next == null) {
        return Optional.empty();
      }
      at = next;
    }
    return Optional.of(YamlFields.at(file, at));
  }

  private static int threshold(YamlFields f, String key) {
    long value = f.integer(key, Monitor.DEFAULT_THRESHOLD);
    if (value < 1) {
      f.error(key, "must be 1 or more, not " + value);
      return Monitor.DEFAULT_THRESHOLD;
    }
    return (int) Math.min(value, Integer.MAX_VALUE);
  }

  private Monitor.Probe prometheus(YamlFields f) {
    if (f.has("bearer_token") && (f.has("username") || f.has("password"))) {
      f.error(
          "bearer_token",
          "conflicts with "
              + (f.has("username") ? "username" : "password")
              + ": set either username and password or bearer_token, not both");
    }
    return new Monitor.PrometheusProbe(
        checkedUrl(f, "http://localhost:9090"),
        f.required("expr"),
        f.enumValue("success_mode", Monitor.SuccessMode.class, Monitor.SuccessMode.IF_VECTOR),
        f.string("username"),
        f.string("password"),
        f.string("bearer_token"),
        f.string("ca_file"),
        f.bool("insecure", false));
  }

  private Monitor.Probe http(YamlFields f) {
    List<Integer> codes = new ArrayList<>();
    for (String code : f.strings("expected_codes")) {
      try {
        int c = Integer.parseInt(code.trim());
        if (c < 100 || c > 599) {
          throw new NumberFormatException();
        }
        codes.add(c);
      } catch (NumberFormatException e) {
        f.error("expected_codes", "\"" + code + "\" is not an HTTP status code");
      }
    }
    Optional<String> regex = regex(f, "body_regex");
    String url = f.required("url");
    if (!url.isEmpty()) {
      checkUrl(f, url);
    }
    String method = f.string("method", "GET").toUpperCase(java.util.Locale.ROOT);
    if (!HTTP_METHODS.contains(method)) {
      Optional<String> meant =
          method.matches("[A-Z]+") ? YamlFields.closest(method, HTTP_METHODS) : Optional.empty();
      f.error(
          "method",
          "\""
              + f.string("method", "")
              + "\" is not an HTTP method; "
              + meant
                  .map(m -> "did you mean \"" + m + "\"?")
                  .orElse("use GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS"));
    }
    Optional<String> body = f.string("body");
    if (body.isPresent() && (method.equals("GET") || method.equals("HEAD"))) {
      f.error("body", "a " + method + " request cannot have a body");
    }
    return new Monitor.HttpProbe(
        url,
        method,
        f.stringMap("headers"),
        body,
        codes.isEmpty() ? List.of(200) : codes,
        regex,
        f.bool("insecure", false));
  }

  /** The methods an HTTP probe may send. */
  private static final Set<String> HTTP_METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

  /** A reference the probe resolves from the environment when it runs. */
  private static final java.util.regex.Pattern ENV_REFERENCE =
      java.util.regex.Pattern.compile("\\$\\{env:[^}]*}");

  /** A probe settings' {@code url}, checked: {@code defaultValue} when it is not set. */
  private static String checkedUrl(YamlFields f, String defaultValue) {
    Optional<String> url = f.string("url");
    url.ifPresent(u -> checkUrl(f, u));
    return url.orElse(defaultValue);
  }

  /**
   * Reports a URL the probe could not call, parsed by the HTTP client the probes use. Where {@code
   * ${env:NAME}} references stand, only what is written before the first is checked: the scheme.
   */
  private static void checkUrl(YamlFields f, String url) {
    java.util.regex.Matcher reference = ENV_REFERENCE.matcher(url);
    boolean valid;
    if (reference.find()) {
      String before = url.substring(0, reference.start()).toLowerCase(java.util.Locale.ROOT);
      valid = before.isEmpty() || before.startsWith("http://") || before.startsWith("https://");
    } else {
      valid = okhttp3.HttpUrl.parse(url) != null;
    }
    if (!valid) {
      // The user information may hold a password: the message leaves it out.
      String shown = url.replaceFirst("^([A-Za-z][A-Za-z0-9+.-]*://)[^/@]*@", "$1<credentials>@");
      f.error("url", "\"" + shown + "\" is not an http(s) URL");
    }
  }

  /**
   * A regular expression, checked now so that a bad one is a plan problem, not a failed monitor.
   */
  private static Optional<String> regex(YamlFields f, String key) {
    Optional<String> regex = f.string(key);
    regex.ifPresent(
        r -> {
          try {
            java.util.regex.Pattern.compile(r);
          } catch (java.util.regex.PatternSyntaxException e) {
            f.error(
                key,
                "is not a valid regular expression: "
                    + e.getDescription()
                    + (e.getIndex() >= 0
                        ? " at character " + Math.min(e.getIndex() + 1, r.length())
                        : ""));
          }
        });
    return regex;
  }

  private Monitor.Probe elasticsearch(YamlFields f) {
    Optional<String> query = f.string("query");
    Optional<String> queryFile = f.string("query_file");
    if (query.isPresent() == queryFile.isPresent()) {
      problems.error(f.location(), f.path(), "set exactly one of \"query\" and \"query_file\"");
    }
    return new Monitor.ElasticsearchProbe(
        checkedUrl(f, "http://localhost:9200"),
        f.string("index"),
        query,
        queryFile,
        nonNegative(f, "max_count"),
        f.string("username"),
        f.string("password"),
        f.bool("insecure", false));
  }

  private Monitor.Probe sentry(YamlFields f) {
    return new Monitor.SentryProbe(
        checkedUrl(f, "https://sentry.io"),
        f.string("api_key"),
        f.required("organization"),
        f.required("project"),
        f.stringMap("tags"),
        regex(f, "message_regexp"),
        nonNegative(f, "max_count"));
  }

  private Monitor.Probe kubernetes(YamlFields f) {
    return new Monitor.KubernetesProbe(
        (int) f.integer("max_restarts", 0, 0, Integer.MAX_VALUE),
        f.bool("require_ready", true),
        f.duration("flap_window", java.time.Duration.ofMinutes(1)));
  }

  private static long nonNegative(YamlFields f, String key) {
    return f.integer(key, 0, 0, Long.MAX_VALUE);
  }

  private Lifecycle lifecycle(Node node, String path) {
    Set<String> phases = new java.util.HashSet<>();
    for (Lifecycle.Phase p : Lifecycle.Phase.values()) {
      phases.add(p.yamlName());
    }
    YamlFields f = fields(node, path, phases);
    Map<Lifecycle.Phase, List<Lifecycle.Hook>> hooks = new EnumMap<>(Lifecycle.Phase.class);
    for (Lifecycle.Phase p : Lifecycle.Phase.values()) {
      List<Lifecycle.Hook> list = f.each(p.yamlName(), this::hook);
      if (!list.isEmpty()) {
        hooks.put(p, list);
      }
    }
    return new Lifecycle(hooks);
  }

  private Optional<Lifecycle.Hook> hook(Node node, String path) {
    Location location = YamlFields.at(file, node);
    if (node instanceof ScalarNode s) {
      List<String> words;
      try {
        words = CommandLineWords.split(s.getValue());
      } catch (IllegalArgumentException e) {
        problems.error(location, path, e.getMessage());
        return Optional.empty();
      }
      if (words.isEmpty()) {
        problems.error(location, path, "must not be empty");
        return Optional.empty();
      }
      return Optional.of(
          new Lifecycle.Hook(words.get(0), words.subList(1, words.size()), true, false, location));
    }
    YamlFields f = fields(node, path, HOOK_KEYS);
    return Optional.of(
        new Lifecycle.Hook(
            f.required("cmd"),
            f.strings("args"),
            f.bool("show", true),
            f.bool("allow_failure", false),
            location));
  }

  /**
   * A release's free-form {@code store} as plain maps, lists and strings. An alias that points back
   * into itself, and aliases that expand to more than {@link #MAX_STORE_VALUES} values (an "alias
   * bomb"), are problems at the alias's target.
   */
  private Map<String, Object> store(YamlFields f) {
    Optional<Node> node = f.node("store");
    if (node.isEmpty()) {
      return Map.of();
    }
    if (!(node.get() instanceof MappingNode)) {
      f.error("store", "must be a mapping of keys to values");
      return Map.of();
    }
    Plain plain = new Plain();
    try {
      return asMap(plain.of(node.get()));
    } catch (Plain.Refused e) {
      Node where = e.node == null ? node.get() : e.node;
      problems.error(YamlFields.at(file, where), f.path("store"), e.getMessage());
      return Map.of();
    }
  }

  /** Converts a YAML node into plain Java maps, lists and strings, for free-form fields. */
  private static final class Plain {
    private final Set<Node> open = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    private int values;

    Object of(Node node) {
      if (++values > MAX_STORE_VALUES) {
        throw new Refused(
            null,
            "expands to more than "
                + MAX_STORE_VALUES
                + " values through its aliases; write the data out or use fewer aliases");
      }
      if (node instanceof ScalarNode scalar) {
        return YamlFields.isNull(scalar) ? "" : scalar.getValue();
      }
      if (!open.add(node)) {
        throw new Refused(node, "holds an alias to a list or mapping that contains the alias");
      }
      if (open.size() > MAX_NESTING) {
        throw new Refused(
            node, "nests more than " + MAX_NESTING + " levels deep through its aliases");
      }
      Object out;
      if (node instanceof MappingNode m) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
          map.put(String.valueOf(of(t.getKeyNode())), of(t.getValueNode()));
        }
        out = map;
      } else {
        List<Object> list = new ArrayList<>();
        ((SequenceNode) node).getValue().forEach(n -> list.add(of(n)));
        out = list;
      }
      open.remove(node);
      return out;
    }

    static final class Refused extends RuntimeException {
      private static final long serialVersionUID = 1L;
      final transient Node node;

      /** {@code node} is where the problem is, or null for the whole store. */
      Refused(Node node, String message) {
        super(message, null, false, false);
        this.node = node;
      }
    }
  }
}
