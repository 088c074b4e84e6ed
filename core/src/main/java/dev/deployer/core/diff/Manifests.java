package dev.deployer.core.diff;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** Splits a rendered manifest into its resources. */
public final class Manifests {
  private Manifests() {}

  /**
   * Kinds Kubernetes serves without a namespace, as {@code group/Kind} (the core group is empty).
   * Manifests are not checked against a cluster, so this is a known list; a chart's own cluster
   * scoped kinds are learnt from the CustomResourceDefinitions in the same manifest.
   */
  static final Set<String> CLUSTER_SCOPED =
      Set.of(
          "/Namespace",
          "/Node",
          "/PersistentVolume",
          "/ComponentStatus",
          "rbac.authorization.k8s.io/ClusterRole",
          "rbac.authorization.k8s.io/ClusterRoleBinding",
          "apiextensions.k8s.io/CustomResourceDefinition",
          "apiregistration.k8s.io/APIService",
          "scheduling.k8s.io/PriorityClass",
          "storage.k8s.io/StorageClass",
          "storage.k8s.io/CSIDriver",
          "storage.k8s.io/CSINode",
          "storage.k8s.io/VolumeAttachment",
          "storage.k8s.io/VolumeAttributesClass",
          "admissionregistration.k8s.io/ValidatingWebhookConfiguration",
          "admissionregistration.k8s.io/MutatingWebhookConfiguration",
          "admissionregistration.k8s.io/ValidatingAdmissionPolicy",
          "admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding",
          "admissionregistration.k8s.io/MutatingAdmissionPolicy",
          "admissionregistration.k8s.io/MutatingAdmissionPolicyBinding",
          "networking.k8s.io/IngressClass",
          "networking.k8s.io/IPAddress",
          "networking.k8s.io/ServiceCIDR",
          "node.k8s.io/RuntimeClass",
          "policy/PodSecurityPolicy",
          "certificates.k8s.io/CertificateSigningRequest",
          "certificates.k8s.io/ClusterTrustBundle",
          "flowcontrol.apiserver.k8s.io/FlowSchema",
          "flowcontrol.apiserver.k8s.io/PriorityLevelConfiguration",
          "resource.k8s.io/DeviceClass",
          "resource.k8s.io/ResourceSlice");

  private static final Pattern SEPARATOR = Pattern.compile("(?m)^---\\s*$");

  /**
   * The resources of a manifest, sorted by {@link Resource#key()}. Namespaced objects without a
   * namespace get {@code defaultNamespace}, as Helm installs them there; cluster-scoped ones have
   * an empty namespace. Empty documents are skipped.
   */
  public static List<Resource> parse(String manifest, String defaultNamespace) {
    List<Map<String, Object>> documents = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    for (String document : documents(manifest)) {
      String text = document.replaceAll("(?m)^# Source: .*\\R", "").strip();
      Map<String, Object> content = text.isEmpty() ? null : load(text);
      if (content != null) {
        documents.add(content);
        texts.add(text + "\n");
      }
    }
    Set<String> clusterScoped = new java.util.HashSet<>(CLUSTER_SCOPED);
    for (Map<String, Object> content : documents) {
      Map<String, Object> spec = map(content.get("spec"));
      if ("CustomResourceDefinition".equals(content.get("kind"))
          && "Cluster".equals(spec.get("scope"))) {
        clusterScoped.add(spec.get("group") + "/" + map(spec.get("names")).get("kind"));
      }
    }
    List<Resource> resources = new ArrayList<>();
    for (int i = 0; i < documents.size(); i++) {
      Map<String, Object> content = documents.get(i);
      Map<String, Object> meta = map(content.get("metadata"));
      String kind = String.valueOf(content.getOrDefault("kind", ""));
      String namespace =
          clusterScoped.contains(group(content) + "/" + kind)
              ? ""
              : String.valueOf(meta.getOrDefault("namespace", defaultNamespace));
      resources.add(
          new Resource(
              kind,
              namespace,
              String.valueOf(meta.getOrDefault("name", "")),
              content,
              texts.get(i)));
    }
    resources.sort(Comparator.comparing(Resource::key));
    return resources;
  }

  /**
   * The manifest without Helm test hooks, every other document kept byte for byte. A test hook is
   * one whose {@code helm.sh/hook} names only {@code test}, {@code test-success} or {@code
   * test-failure} (one or several, comma-separated); a hook that also runs at, say, {@code
   * pre-install} is deployed and stays.
   */
  public static String withoutTestHooks(String manifest) {
    StringBuilder out = new StringBuilder();
    Matcher m = SEPARATOR.matcher(manifest);
    int start = 0;
    boolean dropped = false;
    while (true) {
      boolean more = m.find();
      int end = more ? m.start() : manifest.length();
      String document = manifest.substring(start, end);
      String text = document.replaceAll("(?m)^# Source: .*\\R", "").strip();
      Map<String, Object> content = text.isEmpty() ? null : load(text);
      if (content != null && isTestHook(content)) {
        dropped = true;
      } else {
        out.append(document);
        if (more) {
          out.append(manifest, m.start(), m.end());
        }
      }
      if (!more) {
        break;
      }
      start = m.end();
    }
    return dropped ? out.toString() : manifest;
  }

  static boolean isTestHook(Map<String, Object> content) {
    Object hook = map(map(content.get("metadata")).get("annotations")).get("helm.sh/hook");
    if (hook == null) {
      return false;
    }
    for (String phase : String.valueOf(hook).split(",")) {
      String p = phase.strip();
      if (!p.equals("test") && !p.equals("test-success") && !p.equals("test-failure")) {
        return false;
      }
    }
    return true;
  }

  private static List<String> documents(String manifest) {
    return List.of(SEPARATOR.split(manifest, -1));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> load(String text) {
    Object parsed = new Load(LoadSettings.builder().build()).loadFromString(text);
    return parsed instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static String group(Map<String, Object> content) {
    String apiVersion = String.valueOf(content.getOrDefault("apiVersion", ""));
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }
}
