/** The deployer command-line interface. */
package dev.deployer.app;
