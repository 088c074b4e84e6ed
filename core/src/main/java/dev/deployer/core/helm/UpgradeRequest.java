package dev.deployer.core.helm;

import dev.deployer.core.plan.WaitStrategy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An install-or-upgrade of one release, as {@code helm upgrade --install} takes it.
 *
 * @param chart a chart directory or packaged {@code .tgz}
 * @param valuesFiles values files in merge order
 * @param options how Helm applies and waits
 */
public record UpgradeRequest(
    ReleaseRef release, Path chart, List<Path> valuesFiles, UpgradeOptions options) {

  public UpgradeRequest {
    Objects.requireNonNull(release, "release");
    Objects.requireNonNull(chart, "chart");
    valuesFiles = List.copyOf(valuesFiles);
    Objects.requireNonNull(options, "options");
  }

  /**
   * Helm's options for an upgrade; {@link #DEFAULTS} are Helm 4's own, with deployer's history
   * limit.
   *
   * @param postRenderer a command and its arguments, run over the rendered manifests; empty for
   *     none
   * @param serverSide {@code auto} (Helm 4 decides: what the release used before, server-side for a
   *     new one), {@code true} or {@code false}
   */
  public record UpgradeOptions(
      WaitStrategy waitStrategy,
      boolean waitForJobs,
      Duration timeout,
      boolean atomic,
      boolean cleanupOnFail,
      boolean force,
      boolean resetValues,
      boolean reuseValues,
      boolean skipCrds,
      boolean disableHooks,
      boolean disableOpenApiValidation,
      boolean enableDns,
      boolean createNamespace,
      int maxHistory,
      String description,
      Map<String, String> labels,
      List<String> postRenderer,
      String serverSide) {

    public static final UpgradeOptions DEFAULTS =
        new UpgradeOptions(
            WaitStrategy.HOOK_ONLY,
            false,
            Duration.ofMinutes(5),
            false,
            false,
            false,
            false,
            false,
            false,
            false,
            false,
            false,
            false,
            10,
            "",
            Map.of(),
            List.of(),
            "auto");

    public UpgradeOptions {
      Objects.requireNonNull(waitStrategy, "waitStrategy");
      Objects.requireNonNull(timeout, "timeout");
      description = Objects.requireNonNullElse(description, "");
      labels = Map.copyOf(labels);
      postRenderer = List.copyOf(postRenderer);
      Objects.requireNonNull(serverSide, "serverSide");
    }

    /**
     * The Helm release label under which deployer records {@link #digest()} on each revision it
     * writes, so that a changed deploy option counts as a change.
     */
    public static final String DIGEST_LABEL = "deployer.dev/deploy-options";

    /**
     * A plan release's options as its upgrade uses them, their {@link #digest()} recorded on the
     * revision as the label {@link #DIGEST_LABEL}.
     */
    public static UpgradeOptions of(dev.deployer.core.plan.Release r) {
      dev.deployer.core.plan.Release.Deployment d = r.deployment();
      UpgradeOptions options =
          new UpgradeOptions(
              d.helmWait(),
              d.waitForJobs(),
              d.timeout(),
              d.atomic(),
              d.cleanupOnFail(),
              d.force(),
              d.resetValues(),
              d.reuseValues(),
              d.skipCrds(),
              d.disableHooks(),
              d.disableOpenApiValidation(),
              d.enableDns(),
              false,
              d.maxHistory(),
              r.description().orElse(""),
              Map.of(),
              d.postRenderer(),
              "auto");
      return options.withLabels(Map.of(DIGEST_LABEL, options.digest()));
    }

    /** A short digest of every option that changes what Helm does (not the labels). */
    public String digest() {
      String canonical =
          String.join(
              "\n",
              "wait=" + waitStrategy.helmName(),
              "wait_for_jobs=" + waitForJobs,
              "timeout=" + timeout.toMillis(),
              "atomic=" + atomic,
              "cleanup_on_fail=" + cleanupOnFail,
              "force=" + force,
              "reset_values=" + resetValues,
              "reuse_values=" + reuseValues,
              "skip_crds=" + skipCrds,
              "disable_hooks=" + disableHooks,
              "disable_openapi_validation=" + disableOpenApiValidation,
              "enable_dns=" + enableDns,
              "max_history=" + maxHistory,
              "description=" + description,
              "post_renderer=" + String.join("\u0000", postRenderer),
              "server_side=" + serverSide);
      try {
        byte[] hash =
            java.security.MessageDigest.getInstance("SHA-256")
                .digest(canonical.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return java.util.HexFormat.of().formatHex(hash).substring(0, 32);
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    public UpgradeOptions withLabels(Map<String, String> value) {
      return new UpgradeOptions(
          waitStrategy,
          waitForJobs,
          timeout,
          atomic,
          cleanupOnFail,
          force,
          resetValues,
          reuseValues,
          skipCrds,
          disableHooks,
          disableOpenApiValidation,
          enableDns,
          createNamespace,
          maxHistory,
          description,
          value,
          postRenderer,
          serverSide);
    }

    public UpgradeOptions withWaitStrategy(WaitStrategy value) {
      return new UpgradeOptions(
          value,
          waitForJobs,
          timeout,
          atomic,
          cleanupOnFail,
          force,
          resetValues,
          reuseValues,
          skipCrds,
          disableHooks,
          disableOpenApiValidation,
          enableDns,
          createNamespace,
          maxHistory,
          description,
          labels,
          postRenderer,
          serverSide);
    }

    public UpgradeOptions withTimeout(Duration value) {
      return new UpgradeOptions(
          waitStrategy,
          waitForJobs,
          value,
          atomic,
          cleanupOnFail,
          force,
          resetValues,
          reuseValues,
          skipCrds,
          disableHooks,
          disableOpenApiValidation,
          enableDns,
          createNamespace,
          maxHistory,
          description,
          labels,
          postRenderer,
          serverSide);
    }

    public UpgradeOptions withAtomic(boolean value) {
      return new UpgradeOptions(
          waitStrategy,
          waitForJobs,
          timeout,
          value,
          cleanupOnFail,
          force,
          resetValues,
          reuseValues,
          skipCrds,
          disableHooks,
          disableOpenApiValidation,
          enableDns,
          createNamespace,
          maxHistory,
          description,
          labels,
          postRenderer,
          serverSide);
    }
  }
}
