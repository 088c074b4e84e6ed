package dev.deployer.core.diff;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ManifestsTest {
  /** The documents that are not test hooks: what must be kept, byte for byte. */
  static final String CONFIG =
      """
      ---
      # Source: agent/templates/config.yaml
      apiVersion: v1
      kind: ConfigMap
      metadata:
        name: rules
      data: {a: "1"}
      """;

  static final String STATE_JOB =
      """
      ---
      # Source: agent/templates/state.yaml
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: state-check
        annotations:
          helm.sh/hook: pre-install,test
      """;

  static final String TEST_PODS =
      """
      ---
      # Source: agent/templates/tests/test.yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: agent-test-x7k2p
        annotations:
          helm.sh/hook: test
      ---
      # Source: agent/templates/tests/old.yaml
      apiVersion: v1
      kind: Pod
      metadata:
        name: agent-test-api-q9z
        annotations:
          "helm.sh/hook": test, test-success
      """;

  static final String MANIFEST = CONFIG + TEST_PODS + STATE_JOB;

  @Test
  void testHooksAreLeftOutAndEveryOtherDocumentKeptByteForByte() {
    String kept = Manifests.withoutTestHooks(MANIFEST);
    assertThat(kept).isEqualTo(CONFIG + STATE_JOB);
    assertThat(Manifests.parse(MANIFEST, "ops"))
        .filteredOn(Resource::isTestHook)
        .extracting(Resource::name)
        .containsExactly("agent-test-api-q9z", "agent-test-x7k2p");
    String none = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n";
    assertThat(Manifests.withoutTestHooks(none)).isSameAs(none);
  }

  @Test
  void clusterScopedObjectsAreNamedWithoutANamespaceEvenWhenAChartSetsOne() {
    String manifest =
        """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: reader, namespace: ops}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: tenants}
        ---
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: policies.example.com}
        spec:
          group: example.com
          scope: Cluster
          names: {kind: Policy, plural: policies}
        ---
        apiVersion: example.com/v1
        kind: Policy
        metadata: {name: strict}
        ---
        apiVersion: other.example.org/v1
        kind: Namespace
        metadata: {name: lookalike}
        ---
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings}
        """;
    assertThat(Manifests.parse(manifest, "ops"))
        .extracting(Resource::key)
        .containsExactly(
            "ClusterRole/reader",
            "ConfigMap/ops/settings",
            "CustomResourceDefinition/policies.example.com",
            "Namespace/ops/lookalike",
            "Namespace/tenants",
            "Policy/strict");
  }
}
