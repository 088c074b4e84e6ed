package dev.deployer.core.helm;

import dev.deployer.core.plan.Release;
import dev.deployer.core.plan.WaitStrategy;
import java.nio.file.Path;
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
   * Helm's options for an upgrade: a plan release's {@link Release.Deployment} (the one home of
   * each option and its default), with the revision's description and labels. deployer creates
   * namespaces itself and leaves server-side apply to Helm 4 ({@code auto}: what the release used
   * before, server-side for a new one).
   */
  public record UpgradeOptions(
      Release.Deployment deployment, String description, Map<String, String> labels) {

    /** {@link Release.Deployment#DEFAULTS}: Helm 4's own, with deployer's history limit. */
    public static final UpgradeOptions DEFAULTS = of(Release.Deployment.DEFAULTS);

    public UpgradeOptions {
      Objects.requireNonNull(deployment, "deployment");
      description = Objects.requireNonNullElse(description, "");
      labels = Map.copyOf(labels);
    }

    /** These deploy options, with no description and no labels. */
    public static UpgradeOptions of(Release.Deployment deployment) {
      return new UpgradeOptions(deployment, "", Map.of());
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
    public static UpgradeOptions of(Release r) {
      UpgradeOptions options =
          new UpgradeOptions(r.deployment(), r.description().orElse(""), Map.of());
      return new UpgradeOptions(
          r.deployment(), options.description(), Map.of(DIGEST_LABEL, options.digest()));
    }

    /** How Helm waits: the plan's {@code wait}, or the watcher for {@code wait_for_jobs}. */
    public WaitStrategy waitStrategy() {
      return deployment.helmWait();
    }

    /** Always {@code auto}: see the record's description. */
    public String serverSide() {
      return "auto";
    }

    /**
     * A short digest of every option that changes what Helm does (not the labels). Its text is what
     * revisions written by earlier deployers were labelled with: changing it makes every deployed
     * release look changed once.
     */
    public String digest() {
      Release.Deployment d = deployment;
      String canonical =
          String.join(
              "\n",
              "wait=" + waitStrategy().helmName(),
              "wait_for_jobs=" + d.waitForJobs(),
              "timeout=" + d.timeout().toMillis(),
              "atomic=" + d.atomic(),
              "cleanup_on_fail=" + d.cleanupOnFail(),
              "force=" + d.force(),
              "reset_values=" + d.resetValues(),
              "reuse_values=" + d.reuseValues(),
              "skip_crds=" + d.skipCrds(),
              "disable_hooks=" + d.disableHooks(),
              "disable_openapi_validation=" + d.disableOpenApiValidation(),
              "enable_dns=" + d.enableDns(),
              "max_history=" + d.maxHistory(),
              "description=" + description,
              "post_renderer=" + String.join("\u0000", d.postRenderer()),
              "server_side=" + serverSide());
      try {
        byte[] hash =
            java.security.MessageDigest.getInstance("SHA-256")
                .digest(canonical.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return java.util.HexFormat.of().formatHex(hash).substring(0, 32);
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
