/**
 * The one place deployer builds HTTP clients: okhttp clients with bounded timeouts and daemon
 * threads ({@link dev.deployer.core.http.HttpClients}), and TLS from a CA file, a client
 * certificate or an explicit choice to skip verification ({@link
 * dev.deployer.core.http.HttpClients.Tls}). Chart fetching and every monitor probe use it; it
 * depends on no other deployer package.
 */
package dev.deployer.core.http;
