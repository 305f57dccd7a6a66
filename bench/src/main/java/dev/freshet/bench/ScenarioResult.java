package dev.freshet.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one scenario measured for one operator at one size: its setup (workloads, images, …), its
 * figures, and raw series for plots (e.g. every rollout's latency).
 */
record ScenarioResult(
    String scenario,
    String operator,
    Map<String, Object> setup,
    List<Figure> figures,
    Map<String, List<Double>> series) {

  static ScenarioResult of(String scenario, String operator) {
    return new ScenarioResult(
        scenario, operator, new LinkedHashMap<>(), new ArrayList<>(), new LinkedHashMap<>());
  }

  ScenarioResult set(String key, Object value) {
    setup.put(key, value);
    return this;
  }

  ScenarioResult add(Figure figure) {
    figures.add(figure);
    return this;
  }

  /** A label for tables and plots: operator and size. */
  String label() {
    var size = new StringBuilder(operator);
    Object workloads = setup.get("workloads");
    Object images = setup.get("images");
    if (workloads != null) {
      size.append(' ').append(workloads).append('w');
    }
    if (images != null) {
      size.append('/').append(images).append('i');
    }
    return size.toString();
  }
}
