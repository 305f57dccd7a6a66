package dev.freshet.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A strict structural check of a Concourse pipeline, for machines where {@code fly} cannot be
 * built: known top-level and step keys only, unique names, every get/put names a declared resource,
 * every {@code passed} job exists and has that resource in its plan, every resource type is built
 * in or declared, and every task file exists. It is a subset of what {@code fly validate-pipeline
 * --strict} checks, written against Concourse's documented schema; fly stays the reference where it
 * runs.
 */
final class PipelineStructure {
  private static final Set<String> TOP_LEVEL =
      Set.of("resources", "resource_types", "jobs", "groups", "var_sources", "display");
  private static final Set<String> BUILT_IN_TYPES =
      Set.of(
          "git",
          "registry-image",
          "time",
          "s3",
          "semver",
          "pool",
          "docker-image",
          "github-release",
          "mock");
  private static final Set<String> STEP_KINDS =
      Set.of("get", "put", "task", "set_pipeline", "load_var", "in_parallel", "do", "try");
  private static final Set<String> STEP_MODIFIERS =
      Set.of(
          "trigger",
          "passed",
          "params",
          "get_params",
          "resource",
          "version",
          "inputs",
          "file",
          "config",
          "image",
          "privileged",
          "vars",
          "input_mapping",
          "output_mapping",
          "format",
          "reveal",
          "timeout",
          "attempts",
          "tags",
          "on_success",
          "on_failure",
          "on_error",
          "on_abort",
          "ensure",
          "across",
          "no_get",
          "container_limits",
          "hooks",
          "limit",
          "fail_fast",
          "steps",
          "team",
          "instance_vars",
          "var_files");
  private static final Set<String> JOB_KEYS =
      Set.of(
          "name",
          "plan",
          "serial",
          "serial_groups",
          "max_in_flight",
          "public",
          "disable_manual_trigger",
          "interruptible",
          "build_log_retention",
          "old_name",
          "on_success",
          "on_failure",
          "on_error",
          "on_abort",
          "ensure");

  private final Path root;
  private final List<String> problems = new ArrayList<>();
  private final Map<String, Set<String>> resourcesOfJob = new HashMap<>();

  private PipelineStructure(Path root) {
    this.root = root;
  }

  /** The problems found; empty when the pipeline is well-formed. */
  static List<String> check(Path root, Path pipeline) throws IOException {
    var check = new PipelineStructure(root);
    check.run(new ObjectMapper(new YAMLFactory()).readTree(pipeline.toFile()));
    return check.problems;
  }

  private void run(JsonNode pipeline) {
    for (Iterator<String> keys = pipeline.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!TOP_LEVEL.contains(key)) {
        problems.add("unknown top-level key " + key);
      }
    }
    Set<String> types = new HashSet<>(BUILT_IN_TYPES);
    pipeline.path("resource_types").forEach(t -> types.add(t.path("name").asText()));
    Set<String> resources = new HashSet<>();
    for (JsonNode resource : pipeline.path("resources")) {
      String name = resource.path("name").asText("");
      if (name.isEmpty() || !resources.add(name)) {
        problems.add("resource without a name, or named twice: " + name);
      }
      if (!types.contains(resource.path("type").asText())) {
        problems.add("resource " + name + " has unknown type " + resource.path("type").asText());
      }
    }
    List<JsonNode> jobs = new ArrayList<>();
    pipeline.path("jobs").forEach(jobs::add);
    for (JsonNode job : jobs) {
      String name = job.path("name").asText("");
      if (name.isEmpty() || resourcesOfJob.containsKey(name)) {
        problems.add("job without a name, or named twice: " + name);
      }
      job.fieldNames()
          .forEachRemaining(
              k -> {
                if (!JOB_KEYS.contains(k)) {
                  problems.add("job " + name + " has unknown key " + k);
                }
              });
      Set<String> used = new HashSet<>();
      job.path("plan").forEach(step -> collect(step, used));
      resourcesOfJob.put(name, used);
    }
    for (JsonNode job : jobs) {
      job.path("plan").forEach(step -> checkStep(job.path("name").asText(), step, resources));
    }
  }

  private void collect(JsonNode step, Set<String> used) {
    for (String kind : List.of("get", "put")) {
      if (step.has(kind)) {
        used.add(step.has("resource") ? step.path("resource").asText() : step.path(kind).asText());
      }
    }
    step.path("in_parallel").path("steps").forEach(s -> collect(s, used));
    if (step.path("in_parallel").isArray()) {
      step.path("in_parallel").forEach(s -> collect(s, used));
    }
    step.path("do").forEach(s -> collect(s, used));
  }

  private void checkStep(String job, JsonNode step, Set<String> resources) {
    long kinds = STEP_KINDS.stream().filter(step::has).count();
    if (kinds != 1) {
      problems.add("job " + job + " has a step with " + kinds + " step kinds: " + step);
    }
    step.fieldNames()
        .forEachRemaining(
            k -> {
              if (!STEP_KINDS.contains(k) && !STEP_MODIFIERS.contains(k)) {
                problems.add("job " + job + " has a step with unknown key " + k);
              }
            });
    for (String kind : List.of("get", "put")) {
      if (step.has(kind)) {
        String resource =
            step.has("resource") ? step.path("resource").asText() : step.path(kind).asText();
        if (!resources.contains(resource)) {
          problems.add("job " + job + " uses undeclared resource " + resource);
        }
        for (JsonNode passed : step.path("passed")) {
          Set<String> upstream = resourcesOfJob.get(passed.asText());
          if (upstream == null) {
            problems.add("job " + job + " passes through unknown job " + passed.asText());
          } else if (!upstream.contains(resource)) {
            problems.add(
                "job " + job + ": passed job " + passed.asText() + " does not use " + resource);
          }
        }
      }
    }
    if (step.has("task") && !step.has("config")) {
      String file = step.path("file").asText("");
      if (file.isEmpty()) {
        problems.add("task " + step.path("task").asText() + " has neither file nor config");
      } else if (!Files.isRegularFile(root.resolve(file.substring(file.indexOf('/') + 1)))) {
        problems.add(
            "task " + step.path("task").asText() + " names " + file + ", which does not exist");
      }
    }
    for (String hook : List.of("on_success", "on_failure", "on_error", "on_abort", "ensure")) {
      if (step.has(hook)) {
        checkStep(job, step.path(hook), resources);
      }
    }
    step.path("do").forEach(s -> checkStep(job, s, resources));
  }
}
