package dev.deployer.core.helm;

/** A release as Helm reports it after an operation. */
public record DeployedRelease(
    String name, String namespace, int revision, String status, String chart, String appVersion) {}
