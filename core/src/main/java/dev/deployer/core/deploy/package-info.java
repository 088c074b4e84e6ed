/**
 * The scheduler behind {@code up}: runs one task per release of a {@link
 * dev.deployer.core.graph.ReleaseGraph}, each as soon as what it depends on has succeeded, and
 * returns what happened to every release as data.
 */
package dev.deployer.core.deploy;
