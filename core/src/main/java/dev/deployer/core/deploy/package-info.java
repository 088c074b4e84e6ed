/**
 * Deploying a built plan directory: {@code up}, {@code down}, {@code rollback}, {@code status},
 * {@code history} and {@code diff --live}, and {@code deployer monitor}'s watch of one release.
 *
 * <ul>
 *   <li>{@link dev.deployer.core.deploy.Deployer}: the commands above over a plan directory,
 *       including the stale check, pending-release recovery, monitor actions and their undo.
 *   <li>{@link dev.deployer.core.deploy.ReleaseScheduler} and {@link
 *       dev.deployer.core.deploy.DagScheduler}: one task per release of a {@link
 *       dev.deployer.core.graph.ReleaseGraph}, each as soon as what it depends on has succeeded;
 *       results as data ({@link dev.deployer.core.deploy.ScheduleResult}).
 *   <li>{@link dev.deployer.core.deploy.MonitorStage}: starts each monitor once its releases have
 *       settled, through a {@link dev.deployer.core.deploy.ProbeFactory} ({@link
 *       dev.deployer.core.deploy.DefaultProbes} for real clusters).
 *   <li>{@link dev.deployer.core.deploy.Cluster}: what deploying needs of the clusters, implemented
 *       by {@link dev.deployer.core.deploy.KubernetesCluster} from {@code kube} helpers and the
 *       Helm engine.
 *   <li>The run's results: {@link dev.deployer.core.deploy.RunReport}, {@link
 *       dev.deployer.core.deploy.ReleaseReport}, {@link dev.deployer.core.deploy.MonitorReport},
 *       {@link dev.deployer.core.deploy.Outcome}.
 * </ul>
 */
package dev.deployer.core.deploy;
