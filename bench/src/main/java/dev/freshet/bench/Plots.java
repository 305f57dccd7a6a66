package dev.freshet.bench;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The results as PNG charts, drawn headless with JFreeChart. */
final class Plots {
  private static final Color MEASURED = new Color(0x1f, 0x77, 0xb4);
  private static final Color BASELINE = new Color(0x99, 0x99, 0x99);

  private Plots() {}

  /**
   * One panel per figure of the scenario: a bar per operator and size, beside its baseline or limit
   * where it has one.
   */
  static Path figures(Path dir, String date, String scenario, List<ScenarioResult> results)
      throws IOException {
    Map<String, DefaultCategoryDataset> panels = new LinkedHashMap<>();
    for (ScenarioResult result : results) {
      for (Figure figure : result.figures()) {
        var data =
            panels.computeIfAbsent(
                figure.name() + " (" + figure.unit() + ")", k -> new DefaultCategoryDataset());
        data.addValue(finite(figure.value()), "measured", result.label());
        if (!Double.isNaN(figure.baseline())) {
          data.addValue(finite(figure.baseline()), "baseline / limit", result.label());
        }
      }
    }
    var axis = new CategoryAxis();
    axis.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
    var combined = new CombinedDomainCategoryPlot(axis);
    for (var panel : panels.entrySet()) {
      var range = new NumberAxis(panel.getKey());
      range.setLabelFont(range.getLabelFont().deriveFont(10f));
      var bars = new BarRenderer();
      bars.setBarPainter(new StandardBarPainter());
      bars.setShadowVisible(false);
      bars.setSeriesPaint(0, MEASURED);
      bars.setSeriesPaint(1, BASELINE);
      combined.add(new CategoryPlot(panel.getValue(), null, range, bars));
    }
    // One legend for all panels: each panel's own would repeat the same two entries.
    var chart = new JFreeChart(scenario, JFreeChart.DEFAULT_TITLE_FONT, combined, false);
    chart.addSubtitle(new TextTitle("blue: measured; grey: baseline or limit, same run"));
    Path file = dir.resolve(date + "-" + scenario + ".png");
    ChartUtils.saveChartAsPNG(file.toFile(), chart, 900, 160 * panels.size() + 220);
    return file;
  }

  /**
   * Cumulative distributions of latency series (e.g. webhook send to patch, and the baseline's).
   */
  static Path distribution(
      Path dir, String date, String name, String axisLabel, Map<String, List<Double>> series)
      throws IOException {
    var collection = new XYSeriesCollection();
    for (var e : series.entrySet()) {
      var xy = new XYSeries(e.getKey());
      List<Double> sorted = e.getValue().stream().sorted().toList();
      for (int i = 0; i < sorted.size(); i++) {
        xy.add(sorted.get(i).doubleValue(), (i + 1) / (double) sorted.size());
      }
      collection.addSeries(xy);
    }
    var plot =
        new XYPlot(
            collection,
            new NumberAxis(axisLabel),
            new NumberAxis("share of rollouts"),
            new XYStepRenderer());
    Path file = dir.resolve(date + "-" + name + ".png");
    ChartUtils.saveChartAsPNG(file.toFile(), new JFreeChart(name, plot), 900, 500);
    return file;
  }

  private static double finite(double v) {
    return Double.isFinite(v) ? v : 0;
  }
}
