package dev.stepwise.environments;

import dev.stepwise.plans.EnvironmentChoice;
import dev.stepwise.plans.Plan;
import dev.stepwise.plans.StepSpec;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which environment a step runs on: the one its plan or the step names, or the first whose labels
 * include all it asks for (the remote environments in the order the settings declare them, then
 * this node's {@code local}). A plan that asks for something no environment offers is refused when
 * it is submitted. Thread-safe (immutable).
 */
public final class Placements {
  public static final String LOCAL = "local";

  private final Set<String> localLabels;
  private final List<EnvironmentSpec> remote;

  public Placements(Set<String> localLabels, List<EnvironmentSpec> remote) {
    this.localLabels = Set.copyOf(localLabels);
    this.remote = List.copyOf(remote);
  }

  /** Only this node's {@code local} environment. */
  public static Placements localOnly(Set<String> localLabels) {
    return new Placements(localLabels, List.of());
  }

  /** The environment {@code choice} resolves to, if any offers it. */
  public Optional<String> resolve(EnvironmentChoice choice) {
    if (choice.name() != null) {
      if (choice.name().equals(LOCAL)) return Optional.of(LOCAL);
      return remote.stream().map(EnvironmentSpec::name).filter(choice.name()::equals).findFirst();
    }
    if (choice.labels().isEmpty()) return Optional.of(LOCAL);
    Optional<String> labelled = remote.stream().filter(spec -> spec.labels().containsAll(choice.labels()))
        .map(EnvironmentSpec::name).findFirst();
    if (labelled.isPresent()) return labelled;
    return localLabels.containsAll(choice.labels()) ? Optional.of(LOCAL) : Optional.empty();
  }

  /** How many steps may run on {@code environment} at once across every node; 0 for {@code local} (its workers decide). */
  public int slots(String environment) {
    return remote.stream().filter(spec -> spec.name().equals(environment)).mapToInt(EnvironmentSpec::slots)
        .findFirst().orElse(0);
  }

  /** The machine of a remote environment ({@code deploy@10.0.0.5}), or {@code null} for {@code local}. */
  public String address(String environment) {
    return remote.stream().filter(spec -> spec.name().equals(environment)).map(EnvironmentSpec::address)
        .findFirst().orElse(null);
  }

  /** Where {@code step} of {@code plan} runs; the plan was checked when it was submitted. */
  public String of(Plan plan, StepSpec step) {
    return resolve(plan.environmentOf(step)).orElse(LOCAL);
  }

  /**
   * Why {@code plan} cannot run anywhere, with the field it concerns ({@code environment.name} or
   * {@code steps[2].environment.labels}), or empty when every step has an environment.
   */
  public Optional<Problem> problem(Plan plan) {
    if (resolve(plan.environment()).isEmpty()) return Optional.of(problem("environment", plan.environment()));
    for (int i = 0; i < plan.steps().size(); i++) {
      StepSpec step = plan.steps().get(i);
      if (resolve(step.environment()).isEmpty()) {
        return Optional.of(problem("steps[" + (i + 1) + "].environment", step.environment()));
      }
    }
    return Optional.empty();
  }

  /** A field and what is wrong with it. */
  public record Problem(String field, String reason) {}

  /**
   * The labels a node's {@code local} environment needs to take {@code plan}: those of every choice
   * that resolves to {@code local} (a plan that runs only on remote machines can be taken by any node).
   */
  public List<String> localLabelsNeeded(Plan plan) {
    Set<String> needed = new LinkedHashSet<>();
    if (resolve(plan.environment()).filter(LOCAL::equals).isPresent()) needed.addAll(plan.environment().labels());
    for (StepSpec step : plan.steps()) {
      EnvironmentChoice choice = plan.environmentOf(step);
      if (resolve(choice).filter(LOCAL::equals).isPresent()) needed.addAll(choice.labels());
    }
    return List.copyOf(needed);
  }

  private Problem problem(String field, EnvironmentChoice choice) {
    return new Problem(field + (choice.name() != null ? ".name" : ".labels"), unknown(choice));
  }

  private String unknown(EnvironmentChoice choice) {
    List<String> names = new java.util.ArrayList<>(List.of(LOCAL));
    remote.forEach(spec -> names.add(spec.name()));
    if (choice.name() != null) return "no environment named '" + choice.name() + "'; this server has " + names;
    Set<String> offered = new java.util.TreeSet<>(localLabels);
    remote.forEach(spec -> offered.addAll(spec.labels()));
    return "no environment has all of " + choice.labels() + "; this server offers " + List.copyOf(offered);
  }
}
