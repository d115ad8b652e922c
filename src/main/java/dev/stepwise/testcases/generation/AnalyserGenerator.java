package dev.stepwise.testcases.generation;

import java.util.ArrayList;
import java.util.List;

/**
 * The built-in generator: no model, only what the source says. Cases are taken from the targets in
 * turn (each target's best case first), so that a diff touching several functions tests each.
 */
public final class AnalyserGenerator implements TestGenerator {
  public static final String NAME = "analyser";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Generation generate(List<Target> targets, int maxTests) {
    List<List<ProposedCase>> perTarget = targets.stream().map(CaseDesigner::design).toList();
    List<ProposedCase> chosen = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (int round = 0; chosen.size() < maxTests; round++) {
      boolean any = false;
      for (List<ProposedCase> cases : perTarget) {
        if (round >= cases.size() || chosen.size() >= maxTests) continue;
        any = true;
        ProposedCase proposed = cases.get(round);
        String name = proposed.name();
        for (int n = 2; names.contains(name); n++) name = proposed.name() + "_" + n;
        names.add(name);
        chosen.add(proposed.renamed(name));
      }
      if (!any) break;
    }
    return new Generation(chosen, NAME, List.of());
  }
}
