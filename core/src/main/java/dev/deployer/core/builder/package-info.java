/**
 * {@code deployer build} and {@code lint}: {@link dev.deployer.core.builder.PlanBuilder} fetches
 * and vendors charts, renders values and manifests, checks what was rendered, writes the review
 * files ({@code summary.md}, {@code graph.md}) and puts it all in a plan directory through {@link
 * dev.deployer.core.plandir}; {@code PlanfileContent} decides what the planfile holds; {@code
 * BuildReview} compares with the directory it replaces and with the cluster; {@link
 * dev.deployer.core.builder.LiveReleases} reads what is deployed for {@code --diff-mode live}.
 */
package dev.deployer.core.builder;
