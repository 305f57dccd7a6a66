package dev.freshet.bench;

import java.util.List;
import java.util.Locale;

/** The results as a Markdown table: each figure, its baseline, the ratio and the goal's verdict. */
final class Table {
  private Table() {}

  static String markdown(List<ScenarioResult> results) {
    var out = new StringBuilder();
    out.append(
        "| scenario | operator, size | figure | value | baseline or limit | ratio | goal |\n");
    out.append("|---|---|---|---|---|---|---|\n");
    for (ScenarioResult r : results) {
      for (Figure f : r.figures()) {
        out.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %s | %s %s | %s | %s | %s |%n",
                r.scenario(),
                r.label(),
                f.name(),
                number(f.value()),
                f.unit(),
                Double.isNaN(f.baseline())
                    ? "—"
                    : number(f.baseline()) + " " + f.unit() + " (" + f.baselineName() + ")",
                Double.isNaN(f.ratio()) ? "—" : String.format(Locale.ROOT, "%.2f", f.ratio()),
                verdict(f)));
      }
    }
    return out.toString();
  }

  static String verdict(Figure f) {
    if (f.met() == null || f.goal().isEmpty()) {
      return "";
    }
    return (f.met() ? "met: " : "**missed**: ") + f.goal();
  }

  static String number(double v) {
    if (Double.isNaN(v)) {
      return "—";
    }
    if (v == Math.rint(v) && Math.abs(v) < 1e9) {
      return String.format(Locale.ROOT, "%,d", (long) v);
    }
    return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%,.0f" : "%.2f", v);
  }
}
