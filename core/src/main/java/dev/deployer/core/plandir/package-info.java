/**
 * The plan directory on disk: {@link dev.deployer.core.plandir.PlanDirectory} opens, verifies
 * (digests of every file it records, and of the planfile itself) and reads one; {@link
 * dev.deployer.core.plandir.Planfile} is the planfile's one typed mapping, written and read through
 * the same records; {@link dev.deployer.core.plandir.PlanDirectorySwap} replaces a directory whole,
 * safe against a crash at any step. Depends on the plan model, not on the build.
 */
package dev.deployer.core.plandir;
