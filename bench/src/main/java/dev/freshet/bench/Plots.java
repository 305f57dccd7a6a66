package dev.freshet.bench;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The results as PNG charts, drawn headless with JFreeChart. */
final class Plots {
  private static final Color MEASURED = new Color(0x1f, 0x77, 0xb4);
  private static final Color BASELINE = new Color(0x99, 0x99, 0x99);
  private static final Font LEGEND_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
  private static final Font PANEL_TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 12);
  private static final int WIDTH = 900;
  static final int HEADER_HEIGHT = 60;
  static final int PANEL_HEIGHT = 180;

  private Plots() {}

  /**
   * One panel per figure of the scenario, titled by the figure and stacked in one image: a bar per
   * operator and size, beside its baseline or limit where it has one. Each panel is a chart of its
   * own so that a long figure name is its title rather than a vertical axis label that runs into
   * its neighbours'.
   */
  static Path figures(Path dir, String date, String scenario, List<ScenarioResult> results)
      throws IOException {
    Map<Panel, DefaultCategoryDataset> panels = new LinkedHashMap<>();
    for (ScenarioResult result : results) {
      for (Figure figure : result.figures()) {
        var data =
            panels.computeIfAbsent(
                new Panel(figure.name(), figure.unit()), k -> new DefaultCategoryDataset());
        data.addValue(finite(figure.value()), "measured", result.label());
        if (!Double.isNaN(figure.baseline())) {
          data.addValue(finite(figure.baseline()), "baseline / limit", result.label());
        }
      }
    }
    var image =
        new BufferedImage(
            WIDTH, HEADER_HEIGHT + PANEL_HEIGHT * panels.size(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, image.getWidth(), image.getHeight());
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.BLACK);
      drawCentred(g, scenario, JFreeChart.DEFAULT_TITLE_FONT, 28);
      drawCentred(g, "blue: measured; grey: baseline or limit, same run", LEGEND_FONT, 50);
      int y = HEADER_HEIGHT;
      for (var panel : panels.entrySet()) {
        panelChart(panel.getKey(), panel.getValue())
            .draw(g, new Rectangle2D.Double(0, y, WIDTH, PANEL_HEIGHT));
        y += PANEL_HEIGHT;
      }
    } finally {
      g.dispose();
    }
    Path file = dir.resolve(date + "-" + scenario + ".png");
    ImageIO.write(image, "png", file.toFile());
    return file;
  }

  private static void drawCentred(Graphics2D g, String text, Font font, int baseline) {
    g.setFont(font);
    g.drawString(text, (WIDTH - g.getFontMetrics().stringWidth(text)) / 2, baseline);
  }

  private record Panel(String name, String unit) {}

  private static JFreeChart panelChart(Panel panel, DefaultCategoryDataset data) {
    var bars = new BarRenderer();
    bars.setBarPainter(new StandardBarPainter());
    bars.setShadowVisible(false);
    bars.setSeriesPaint(0, MEASURED);
    bars.setSeriesPaint(1, BASELINE);
    bars.setMaximumBarWidth(0.25);
    var range = new NumberAxis(panel.unit());
    // A panel of zeros (writes in steady state) shows 0 to 1, not a range of ±4E-9.
    range.setAutoRangeMinimumSize(1);
    var plot = new CategoryPlot(data, new CategoryAxis(), range, bars);
    // The legend is the image's subtitle, once for all panels.
    var chart = new JFreeChart(panel.name(), PANEL_TITLE_FONT, plot, false);
    chart.setBackgroundPaint(Color.WHITE);
    return chart;
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
