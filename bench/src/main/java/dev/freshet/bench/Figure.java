package dev.freshet.bench;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One measured figure beside what it is judged against: a baseline measured in the same run or a
 * physical limit (requests = distinct images, writes = 0), and the goal it should meet.
 *
 * @param name what was measured, e.g. "registry requests per cycle"
 * @param value the figure
 * @param unit its unit
 * @param baseline the baseline's or limit's figure, NaN when there is none
 * @param baselineName what the baseline is
 * @param goal the goal in words, empty when the figure has none
 * @param met whether the goal is met (null when there is no goal)
 */
record Figure(
    String name,
    double value,
    String unit,
    double baseline,
    String baselineName,
    String goal,
    Boolean met) {

  static Figure of(String name, double value, String unit) {
    return new Figure(name, value, unit, Double.NaN, "", "", null);
  }

  static Figure against(
      String name, double value, String unit, double baseline, String baselineName) {
    return new Figure(name, value, unit, baseline, baselineName, "", null);
  }

  Figure goal(String goal, boolean met) {
    return new Figure(name, value, unit, baseline, baselineName, goal, met);
  }

  /** value ÷ baseline, NaN without a baseline or with a zero one. */
  @JsonProperty("ratio")
  double ratio() {
    return Double.isNaN(baseline) || baseline == 0 ? Double.NaN : value / baseline;
  }
}
