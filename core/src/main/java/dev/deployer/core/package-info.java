/** deployer's library: plan model, release graph, Helm engine, build, deploy and monitors. */
package dev.deployer.core;
