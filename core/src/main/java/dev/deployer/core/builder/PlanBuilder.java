package dev.deployer.core.builder;

import dev.deployer.core.Plans;
import dev.deployer.core.chart.ChartFetchException;
import dev.deployer.core.chart.ChartFetcher;
import dev.deployer.core.chart.ChartReference;
import dev.deployer.core.chart.ChartYaml;
import dev.deployer.core.chart.FetchedChart;
import dev.deployer.core.chart.HelmRepository;
import dev.deployer.core.chart.RemoteAccess;
import dev.deployer.core.diff.Differ;
import dev.deployer.core.diff.Manifests;
import dev.deployer.core.diff.PlanDiff;
import dev.deployer.core.diff.ReleaseSnapshot;
import dev.deployer.core.diff.Resource;
import dev.deployer.core.event.Event;
import dev.deployer.core.event.EventListener;
import dev.deployer.core.graph.GraphFormat;
import dev.deployer.core.graph.ReleaseGraph;
import dev.deployer.core.helm.HelmEngine;
import dev.deployer.core.helm.ReleaseRevision;
import dev.deployer.core.helm.RenderException;
import dev.deployer.core.helm.RenderRequest;
import dev.deployer.core.helm.UpgradeRequest;
import dev.deployer.core.hooks.HookRunner;
import dev.deployer.core.kube.KubeVersions;
import dev.deployer.core.plan.Chart;
import dev.deployer.core.plan.Lifecycle;
import dev.deployer.core.plan.Plan;
import dev.deployer.core.plan.Problem;
import dev.deployer.core.plan.Registry;
import dev.deployer.core.plan.Release;
import dev.deployer.core.plan.Repository;
import dev.deployer.core.plan.ValuesFile;
import dev.deployer.core.plandir.Hashing;
import dev.deployer.core.plandir.PlanDirectory;
import dev.deployer.core.plandir.PlanDirectorySwap;
import dev.deployer.core.plandir.Planfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code deployer build}: resolves a plan into a plan directory. Charts are fetched and pinned,
 * values rendered, manifests rendered by Helm in parallel, and the result compared with the plan
 * directory it replaces. A failed release fails the build without touching the old directory.
 */
public final class PlanBuilder {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(PlanBuilder.class);

  private final HelmEngine engine;
  private final ChartFetcher fetcher;
  private final Map<String, String> environment;
  private final Optional<String> kubeContext;
  private final Optional<LiveReleases> live;

  /**
   * @param environment the environment hooks and values placeholders see; {@code KUBECONFIG} and
   *     {@code HOME} also say where the kubeconfig is
   * @param kubeContext the kube context of releases that set none; empty for the kubeconfig's
   *     current context
   */
  public PlanBuilder(
      HelmEngine engine,
      ChartFetcher fetcher,
      Map<String, String> environment,
      Optional<String> kubeContext) {
    this(engine, fetcher, environment, kubeContext, Optional.empty());
  }

  /**
   * @param live what is deployed now, for {@code --diff-mode live}
   */
  public PlanBuilder(
      HelmEngine engine,
      ChartFetcher fetcher,
      Map<String, String> environment,
      Optional<String> kubeContext,
      Optional<LiveReleases> live) {
    this.engine = engine;
    this.fetcher = fetcher;
    this.environment = Map.copyOf(environment);
    this.kubeContext = kubeContext;
    this.live = live;
  }

  /**
   * Builds the plan directory.
   *
   * @throws dev.deployer.core.plan.PlanException when the plan is invalid
   * @throws BuildFailedException when releases failed to build; every failure is listed
   * @throws dev.deployer.core.hooks.HookFailedException when a lifecycle command failed
   */
  public BuildResult build(BuildRequest request, EventListener listener) {
    // One build at a time per plan directory; what an interrupted build left is put right first.
    try (PlanDirectorySwap swap =
        PlanDirectorySwap.open(request.planDir().toAbsolutePath().normalize())) {
      return build(request, listener, swap);
    }
  }

  private BuildResult build(BuildRequest request, EventListener listener, PlanDirectorySwap swap) {
    refuseForeignDirectory(request.planDir().toAbsolutePath().normalize());
    Plans.LoadedPlan loaded = Plans.load(request.planFile(), listener);
    Plan plan = loaded.plan();
    ReleaseGraph graph = loaded.graph().select(request.selection());
    PlanfileContent.refuseLiteralSecrets(plan, graph);
    HookRunner hooks = new HookRunner(plan.baseDir(), environment);
    hooks.run(plan.lifecycle(), Lifecycle.Phase.PRE_BUILD, Optional.empty(), listener);
    for (Release r : graph.releases()) {
      hooks.run(r.lifecycle(), Lifecycle.Phase.PRE_BUILD, Optional.of(r), listener);
    }

    Path target = request.planDir().toAbsolutePath().normalize();
    BuildRequest.DiffMode mode =
        request.diffMode() != null
            ? request.diffMode()
            : PlanDirectory.exists(target)
                ? BuildRequest.DiffMode.LOCAL
                : BuildRequest.DiffMode.NONE;
    Map<String, ReleaseSnapshot> before = new LinkedHashMap<>();
    Map<String, Integer> liveRevisions = new LinkedHashMap<>();
    Map<String, Optional<String>> liveOptions = new LinkedHashMap<>();
    // Deploy options and releases no longer in the plan are known from the previous directory only.
    Optional<PlanDirectory> previous =
        mode != BuildRequest.DiffMode.NONE && PlanDirectory.exists(target)
            ? Optional.of(PlanDirectory.open(target))
            : Optional.empty();
    if (mode == BuildRequest.DiffMode.LOCAL && previous.isPresent()) {
      before.putAll(previousSnapshots(previous.get()));
    } else if (mode == BuildRequest.DiffMode.LIVE) {
      LiveReleases cluster =
          live.orElseThrow(() -> new IllegalStateException("--diff-mode live needs a cluster"));
      for (Release r : graph.releases()) {
        Optional<ReleaseRevision> now = cluster.latest(r);
        liveRevisions.put(r.uniqueName(), now.map(ReleaseRevision::revision).orElse(0));
        now.ifPresent(
            l ->
                liveOptions.put(
                    r.uniqueName(),
                    Optional.ofNullable(
                        l.labels().get(UpgradeRequest.UpgradeOptions.DIGEST_LABEL))));
        now.ifPresent(l -> before.put(r.uniqueName(), liveSnapshot(r, l)));
      }
      // The cluster is the other side, never the previous directory: a release of this plan that
      // is not installed is added, and one the plan dropped is removed only where it is installed.
      previous.ifPresent(p -> addDropped(p, graph, cluster, before));
    }
    if (!request.includeTests()) {
      before.replaceAll(
          (name, s) ->
              new ReleaseSnapshot(
                  s.uniqueName(),
                  s.namespace(),
                  s.chartVersion(),
                  Manifests.withoutTestHooks(s.manifest())));
    }

    Path staging = swap.createStaging();
    try {
      List<BuiltRelease> built = buildAll(plan, graph, target, staging, request, listener);
      BuildReview.refuseSharedObjects(built);
      Map<String, List<String>> deployChanges = BuildReview.deployChanges(previous, built);
      BuildReview.addLiveDeployChanges(deployChanges, liveOptions, built);
      Map<String, ReleaseSnapshot> after = new LinkedHashMap<>();
      for (BuiltRelease b : built) {
        after.put(b.release().uniqueName(), b.snapshot());
      }
      PlanDiff diff =
          new Differ(request.showSecrets()).diff(before, after).withDeployChanges(deployChanges);
      String planfile =
          Planfile.write(
              PlanfileContent.of(
                  plan, graph, built, target, liveRevisions, request.includeTests()));
      write(staging.resolve(PlanDirectory.PLANFILE), planfile);
      write(staging.resolve(PlanDirectory.PLANFILE_DIGEST), PlanDirectory.digestLine(planfile));
      write(
          staging.resolve(PlanDirectory.GRAPH),
          "# " + title(plan) + ": release graph\n\n" + GraphFormat.mermaid(graph));
      // Secrets are always redacted in a file meant for pull requests.
      PlanDiff summaryDiff =
          request.showSecrets()
              ? new Differ(false).diff(before, after).withDeployChanges(deployChanges)
              : diff;
      BuildReview.writeSummary(staging, title(plan) + ": plan changes", summaryDiff, previous);
      swap.replace(staging);
      for (Release r : graph.releases()) {
        hooks.run(r.lifecycle(), Lifecycle.Phase.POST_BUILD, Optional.of(r), listener);
      }
      hooks.run(plan.lifecycle(), Lifecycle.Phase.POST_BUILD, Optional.empty(), listener);
      return new BuildResult(
          request.planDir(),
          graph.releases().stream().map(Release::uniqueName).toList(),
          mode,
          diff);
    } finally {
      PlanDirectorySwap.deleteTree(staging);
    }
  }

  /**
   * What the plan directory being replaced holds, to compare with. One that lacks a file its
   * planfile names is refused, each file named, with the way to replace it without comparing.
   */
  private static Map<String, ReleaseSnapshot> previousSnapshots(PlanDirectory previous) {
    try {
      return previous.snapshots();
    } catch (dev.deployer.core.plan.PlanException e) {
      throw new dev.deployer.core.plan.PlanException(
          e.problems().stream()
              .map(
                  p ->
                      new Problem(
                          p.location(),
                          p.field(),
                          p.message()
                              + ": the plan directory being replaced is incomplete; build"
                              + " --diff-mode none replaces it without comparing"))
              .toList());
    }
  }

  private static ReleaseSnapshot liveSnapshot(Release r, ReleaseRevision live) {
    return new ReleaseSnapshot(
        r.uniqueName(), r.namespace(), Optional.of(live.chartVersion()), live.manifestWithHooks());
  }

  /**
   * The releases the previous directory had and this plan has not, as the cluster has them. One in
   * a kube context the kubeconfig no longer has cannot be looked up: it is taken as the previous
   * directory describes it, so the summary still says it is left installed.
   */
  private static void addDropped(
      PlanDirectory previous,
      ReleaseGraph graph,
      LiveReleases cluster,
      Map<String, ReleaseSnapshot> before) {
    Map<String, ReleaseSnapshot> planned = previousSnapshots(previous);
    for (Release r : previous.plan().releases()) {
      String name = r.uniqueName();
      if (graph.releases().stream().anyMatch(g -> g.uniqueName().equals(name))) {
        continue;
      }
      try {
        cluster.latest(r).ifPresent(l -> before.put(name, liveSnapshot(r, l)));
      } catch (dev.deployer.core.kube.KubeConfigException e) {
        before.put(name, planned.get(name));
      }
    }
  }

  private static String title(Plan plan) {
    return plan.project().isEmpty() ? "deployer" : plan.project();
  }

  private List<BuiltRelease> buildAll(
      Plan plan,
      ReleaseGraph graph,
      Path target,
      Path staging,
      BuildRequest request,
      EventListener listener) {
    ValuesInterpolation interpolation =
        new ValuesInterpolation(
            environment::get,
            name ->
                plan.releases().stream()
                    .filter(r -> r.uniqueName().equals(name))
                    .findFirst()
                    .orElse(null));
    Map<String, FetchedChart> fetched = new ConcurrentHashMap<>();
    Map<Path, DependencyBuild> dependencies = new ConcurrentHashMap<>();
    Optional<KubeVersions> kubeVersions =
        request.kubeVersionFromCluster()
            ? Optional.of(new KubeVersions(environment, kubeContext))
            : Optional.empty();
    ExecutorService pool = Executors.newFixedThreadPool(request.parallelLimit(), daemonThreads());
    try {
      Map<Release, Future<BuiltRelease>> futures = new LinkedHashMap<>();
      for (Release r : graph.releases()) {
        futures.put(
            r,
            pool.submit(
                () ->
                    buildOne(
                        plan,
                        r,
                        target,
                        staging,
                        interpolation,
                        fetched,
                        dependencies,
                        kubeVersions,
                        request.includeTests(),
                        listener)));
      }
      List<BuiltRelease> built = new ArrayList<>();
      List<BuildFailedException.Failure> failures = new ArrayList<>();
      for (Map.Entry<Release, Future<BuiltRelease>> e : futures.entrySet()) {
        try {
          built.add(e.getValue().get());
        } catch (ExecutionException ex) {
          String reason = reason(ex.getCause());
          failures.add(new BuildFailedException.Failure(e.getKey().uniqueName(), reason));
          listener.on(new Event.ReleaseFailed(e.getKey().uniqueName(), reason));
        } catch (InterruptedException ex) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while building", ex);
        }
      }
      if (!failures.isEmpty()) {
        throw new BuildFailedException(failures);
      }
      built.sort(Comparator.comparing(b -> b.release().uniqueName()));
      return built;
    } finally {
      pool.shutdownNow();
    }
  }

  private static String reason(Throwable t) {
    if (t instanceof RenderException r) {
      return r.helmMessage();
    }
    if (t instanceof ReleaseBuildException || t instanceof ChartFetchException) {
      return t.getMessage();
    }
    return t.toString();
  }

  private BuiltRelease buildOne(
      Plan plan,
      Release release,
      Path target,
      Path staging,
      ValuesInterpolation interpolation,
      Map<String, FetchedChart> fetched,
      Map<Path, DependencyBuild> dependencies,
      Optional<KubeVersions> kubeVersions,
      boolean includeTests,
      EventListener listener)
      throws IOException {
    long start = System.nanoTime();
    String name = release.uniqueName();
    ChartInfo chart = chart(plan, release, target, staging, fetched, dependencies, listener);

    List<Planfile.ValuesEntry> values = new ArrayList<>();
    List<Path> valuesFiles = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    for (ValuesFile v : release.values()) {
      Optional<String> text = readValues(plan, v);
      if (text.isEmpty()) {
        continue;
      }
      String rendered = interpolation.apply(text.get(), Path.of(v.src()), release, problems);
      String relative = "values/" + name + "/" + values.size() + ".yml";
      Path file = staging.resolve(relative);
      write(file, rendered);
      valuesFiles.add(file);
      values.add(new Planfile.ValuesEntry(v.src(), relative, Hashing.sha256(rendered)));
    }
    if (!problems.isEmpty()) {
      throw new ReleaseBuildException(
          problems.stream().map(Problem::toString).collect(Collectors.joining("; ")));
    }

    String kubeVersion =
        release
            .offlineKubeVersion()
            .or(() -> kubeVersions.flatMap(k -> k.version(release.context())))
            .orElse(RenderRequest.DEFAULT_KUBE_VERSION);
    RenderRequest render =
        new RenderRequest(
            release.name(),
            release.namespace(),
            chart.renderPath(),
            valuesFiles,
            kubeVersion,
            release.deployment().postRenderer());
    LOG.debug(
        "rendering {}: chart {}, Kubernetes {}, values {}",
        name,
        chart.renderPath(),
        kubeVersion,
        valuesFiles);
    String manifest = engine.render(render);
    List<Resource> parsed = Manifests.parse(manifest, release.namespace());
    warnRobustness(release, render, manifest, parsed, listener);
    if (!includeTests) {
      // Test hooks are run by helm test, not deployed; their random names changed every build.
      manifest = Manifests.withoutTestHooks(manifest);
      parsed = parsed.stream().filter(r -> !r.isTestHook()).toList();
    }
    String manifestPath = "manifests/" + name + ".yml";
    write(staging.resolve(manifestPath), manifest);
    int resources = parsed.size();
    listener.on(
        new Event.ReleaseRendered(name, resources, Duration.ofNanos(System.nanoTime() - start)));
    return new BuiltRelease(
        release,
        chart,
        values,
        manifestPath,
        Hashing.sha256(manifest),
        kubeVersion,
        manifest,
        parsed);
  }

  /**
   * What makes a deploy of this release prove less than it seems, as warnings: see {@link
   * RobustnessChecks}. A chart that may render differently each time is rendered a second time to
   * find pod template annotations that change.
   */
  private void warnRobustness(
      Release release,
      RenderRequest render,
      String manifest,
      List<Resource> resources,
      EventListener listener)
      throws IOException {
    List<String> findings = new ArrayList<>(RobustnessChecks.check(resources));
    if (mayBeUnstable(render.chart())) {
      findings.addAll(
          RobustnessChecks.unstableAnnotations(
              manifest, engine.render(render), release.namespace()));
    }
    for (String finding : findings) {
      listener.on(
          new Event.Warning(
              new Problem(release.location(), "releases." + release.uniqueName(), finding)));
    }
  }

  private static boolean mayBeUnstable(Path chart) throws IOException {
    if (!Files.isDirectory(chart)) {
      return true; // a packaged chart: render again rather than unpack it to read
    }
    try (var files = Files.walk(chart)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        String n = file.getFileName().toString();
        if (n.endsWith(".tgz")
            || (n.endsWith(".yaml")
                    || n.endsWith(".yml")
                    || n.endsWith(".tpl")
                    || n.endsWith(".txt"))
                && file.toString().contains("templates")
                && RobustnessChecks.mayBeUnstable(Files.readString(file))) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Fetches a local chart's dependencies into its {@code charts/} as {@code helm dependency build}
   * does (from {@code Chart.lock}; resolved anew when there is none), once per chart directory and
   * build: Helm's dependency build writes and removes a temporary folder inside the chart, so a
   * second build of it would race with the render of a release that already uses the chart.
   */
  private static final class DependencyBuild {
    private boolean done;
    private String failure;

    synchronized void run(HelmEngine engine, Path chartDir) {
      if (!done) {
        done = true;
        try {
          engine.buildDependencies(chartDir, !Files.exists(chartDir.resolve("Chart.lock")));
        } catch (dev.deployer.core.helm.HelmOperationException e) {
          failure = e.getMessage();
        }
      }
      if (failure != null) {
        throw new ReleaseBuildException(failure);
      }
    }
  }

  private Optional<String> readValues(Plan plan, ValuesFile v) throws IOException {
    if (v.src().startsWith("http://") || v.src().startsWith("https://")) {
      return Optional.of(RemoteValues.fetch(URI.create(v.src())));
    }
    Path file = plan.baseDir().resolve(v.src());
    if (!Files.isRegularFile(file)) {
      if (v.strict()) {
        throw new ReleaseBuildException("values file " + v.src() + " does not exist (strict)");
      }
      return Optional.empty(); // reported as a warning when the plan was loaded
    }
    return Optional.of(Files.readString(file));
  }

  private ChartInfo chart(
      Plan plan,
      Release release,
      Path target,
      Path staging,
      Map<String, FetchedChart> fetched,
      Map<Path, DependencyBuild> dependencies,
      EventListener listener) {
    Chart chart = release.chart();
    Path base = plan.baseDir();
    switch (chart.kind()) {
      case LOCAL_DIRECTORY -> {
        Path dir = base.resolve(chart.name()).normalize();
        ChartYaml meta = ChartYaml.read(dir.resolve("Chart.yaml"));
        if (meta.hasDependencies() && !chart.skipDependencyUpdate()) {
          dependencies.computeIfAbsent(dir, d -> new DependencyBuild()).run(engine, dir);
        }
        return new ChartInfo(
            new Planfile.Chart(
                "local",
                chart.name(),
                meta.name(),
                meta.version(),
                Hashing.sha256Tree(dir),
                relative(target, dir),
                "",
                ""),
            dir);
      }
      case ARCHIVE -> {
        Path file = base.resolve(chart.name()).normalize();
        return new ChartInfo(
            new Planfile.Chart(
                "archive",
                chart.name(),
                chartNameOf(file),
                chart.version().orElse(""),
                Hashing.sha256(file),
                relative(target, file),
                "",
                ""),
            file);
      }
      default -> {
        ChartReference reference = reference(plan, chart);
        String key = chart.name() + "|" + chart.version().orElse("");
        FetchedChart f =
            fetched.computeIfAbsent(key, k -> fetcher.fetch(reference, staging.resolve("charts")));
        listener.on(
            new Event.ChartFetched(release.uniqueName(), chart.name(), f.version(), f.digest()));
        String path = "charts/" + f.archive().getFileName();
        String repository =
            reference instanceof ChartReference.Repo repo
                ? repo.repository().url().toString()
                : ((ChartReference.Oci) reference).reference().toString();
        return new ChartInfo(
            new Planfile.Chart(
                "vendored",
                chart.name(),
                f.name(),
                f.version(),
                f.digest(),
                path,
                chart.version().orElse("newest stable"),
                repository),
            f.archive());
      }
    }
  }

  private static String chartNameOf(Path archive) {
    String file = archive.getFileName().toString().replaceAll("\\.(tgz|tar\\.gz)$", "");
    return file.replaceAll("-\\d+\\.\\d+\\.\\d+.*$", "");
  }

  private ChartReference reference(Plan plan, Chart chart) {
    String version = chart.version().orElse("");
    if (chart.kind() == Chart.Kind.OCI) {
      URI uri = ChartReference.Oci.parse(chart.name());
      String host = uri.getAuthority();
      Optional<Registry> registry =
          plan.registries().stream().filter(r -> r.host().equals(host)).findFirst();
      RemoteAccess access =
          new RemoteAccess(
              chart.username().or(() -> registry.flatMap(Registry::username)).orElse(null),
              chart.password().or(() -> registry.flatMap(Registry::password)).orElse(null),
              chart.caFile().map(plan.baseDir()::resolve).orElse(null),
              chart.certFile().map(plan.baseDir()::resolve).orElse(null),
              chart.keyFile().map(plan.baseDir()::resolve).orElse(null),
              chart.insecureSkipTlsVerify() || registry.map(Registry::insecure).orElse(false));
      return new ChartReference.Oci(uri, version, access);
    }
    Repository repo = plan.repository(chart.repositoryName().orElseThrow()).orElseThrow();
    RemoteAccess access =
        new RemoteAccess(
            chart.username().or(repo::username).orElse(null),
            chart.password().or(repo::password).orElse(null),
            chart.caFile().or(repo::caFile).map(plan.baseDir()::resolve).orElse(null),
            chart.certFile().or(repo::certFile).map(plan.baseDir()::resolve).orElse(null),
            chart.keyFile().or(repo::keyFile).map(plan.baseDir()::resolve).orElse(null),
            chart.insecureSkipTlsVerify() || repo.insecureSkipTlsVerify());
    String chartName = chart.name().substring(chart.name().indexOf('/') + 1);
    return new ChartReference.Repo(
        new HelmRepository(repo.name(), HelmRepository.url(repo.url()), access),
        chartName,
        version);
  }

  static String relative(Path from, Path to) {
    return from.relativize(to.toAbsolutePath().normalize()).toString().replace('\\', '/');
  }

  /**
   * A build replaces its plan directory whole, so it must never be pointed at anything else: a
   * folder that exists, is not empty and has no planfile is refused before anything runs.
   */
  private static void refuseForeignDirectory(Path target) {
    if (!Files.exists(target) || PlanDirectory.exists(target)) {
      return;
    }
    boolean empty;
    try (Stream<Path> entries =
        Files.isDirectory(target) ? Files.list(target) : Stream.of(target)) {
      empty = Files.isDirectory(target) && entries.findAny().isEmpty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!empty) {
      throw new dev.deployer.core.plan.PlanException(
          new Problem(
              dev.deployer.core.plan.Location.of(target),
              "--plandir",
              (Files.isDirectory(target) ? "is a folder with files" : "is a file")
                  + " but not a plan directory (it has no "
                  + PlanDirectory.PLANFILE
                  + "); build replaces its plan directory whole, so it leaves this alone: name a new"
                  + " or empty folder, or a plan directory deployer wrote"));
    }
  }

  static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static java.util.concurrent.ThreadFactory daemonThreads() {
    return r -> {
      Thread t = new Thread(r, "deployer-build");
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * A release's chart: where it came from and how it was pinned, as the planfile records it, and
   * the chart to render.
   */
  record ChartInfo(Planfile.Chart pinned, Path renderPath) {}

  /** Everything the build produced for one release. */
  record BuiltRelease(
      Release release,
      ChartInfo chart,
      List<Planfile.ValuesEntry> values,
      String manifestPath,
      String manifestDigest,
      String kubeVersion,
      String manifest,
      List<Resource> resources) {
    ReleaseSnapshot snapshot() {
      return new ReleaseSnapshot(
          release.uniqueName(),
          release.namespace(),
          chart.pinned().version().isEmpty()
              ? Optional.empty()
              : Optional.of(chart.pinned().version()),
          manifest);
    }
  }

  /** A release-level build failure with a message fit for the user. */
  static final class ReleaseBuildException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ReleaseBuildException(String message) {
      super(message);
    }
  }
}
