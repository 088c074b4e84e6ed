package dev.deployer.core.deploy;

import dev.deployer.core.graph.ReleaseGraph;
import dev.deployer.core.plan.Plan;
import dev.deployer.core.plandir.PlanDirectory;

/**
 * A plan directory's plan and its release graph, selected: what one command run works on.
 *
 * @param all the graph of every release of the plan, for rules that look past the selection
 * @param graph the selected releases
 */
record LoadedPlan(PlanDirectory dir, Plan plan, ReleaseGraph all, ReleaseGraph graph) {}
