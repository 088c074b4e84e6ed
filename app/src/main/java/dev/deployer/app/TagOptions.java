package dev.deployer.app;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Selecting releases by tag, shared by every way of selecting releases. */
final class TagOptions {
  @Option(
      names = {"-t", "--tags"},
      split = ",",
      paramLabel = "TAG",
      description = "Only releases with any of these tags (comma-separated, repeatable).")
  List<String> tags = new ArrayList<>();

  @Option(
      names = {"--match-all-tags", "--tt"},
      description = "Only releases that have every tag given.")
  boolean matchAllTags;
}
