/**
 * The root exception of failures reported to users, with the kind that decides the exit code.
 * Depends on nothing else in core, so every package may use it.
 */
package dev.deployer.core.error;
