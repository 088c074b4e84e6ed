/**
 * Deploying a built plan directory: {@code up}, {@code down}, {@code rollback}, {@code status},
 * {@code history} and {@code diff --live}, and {@code deployer monitor}'s watch of one release.
 *
 * <ul>
 *   <li>{@link dev.deployer.core.deploy.Deployer}: the entry point; loads and verifies the plan
 *       directory, refuses unknown names, and composes one runner per command run.
 *   <li>The runners, each owning one run's state: {@code UpRun} (schedules the upgrades, starts
 *       monitors, undoes, reports), {@code ReverseRun} (the reverse-order run of {@code down} and
 *       {@code rollback}, and their dry runs), {@code StaleCheck} (a plan whose releases moved
 *       since its build), and {@code MonitorActions}, a pure function from the graph, the
 *       schedule's result, the monitors' results and the rollback scope to the ordered undo steps.
 *   <li>A release's verbs, one per file: {@code Upgrade} (one release's upgrade in {@code up}:
 *       pending release strategies, the server dry run against the reviewed render, unchanged, the
 *       upgrade and its restart, and its {@code --dry-run}), {@code Rollback} (to the last good
 *       revision or a given one, recovering a release stuck in {@code pending-*}) and {@code Down}
 *       (Helm's uninstall with the release's options, and the refusal to remove what others need).
 *       What they decide from a release's Helm history (pending states, the last good revision,
 *       what an undo may do) is {@link dev.deployer.core.deploy.RevisionPolicy}, a pure function
 *       the policy tests' fakes use too.
 *   <li>{@link dev.deployer.core.deploy.ReleaseScheduler} and {@link
 *       dev.deployer.core.deploy.DagScheduler}: one task per release of a {@link
 *       dev.deployer.core.graph.ReleaseGraph}, each as soon as what it depends on has succeeded;
 *       results as data ({@link dev.deployer.core.deploy.ScheduleResult}), and a settled callback
 *       per release, which is what starts monitors ({@code MonitorStage}); events are for observers
 *       only.
 *   <li>{@link dev.deployer.core.deploy.Cluster}: what deploying needs of the clusters (locks,
 *       namespaces, Helm's primitives given their requests), implemented by {@link
 *       dev.deployer.core.deploy.KubernetesCluster} from {@code kube} helpers and the Helm engine.
 *   <li>The run's typed results: {@link dev.deployer.core.deploy.RunReport} with its verdict,
 *       {@link dev.deployer.core.deploy.ReleaseReport} with its {@link
 *       dev.deployer.core.outcome.Outcome}, {@link dev.deployer.core.deploy.MonitorReport}; words
 *       for users come from {@code word()} where text is rendered.
 * </ul>
 */
package dev.deployer.core.deploy;
