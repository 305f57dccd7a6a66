package dev.freshet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {
  @TempDir Path dir;

  private static ScenarioResult burst(int workloads, double webhooks, double direct) {
    return ScenarioResult.of("burst", "freshet")
        .set("workloads", workloads)
        .add(Figure.against("all rolled via webhooks", webhooks, "s", direct, "direct"))
        .add(Figure.of("poll interval", 30, "s"));
  }

  @Test
  void drawsOnePanelPerFigureNameAcrossSizes() throws Exception {
    var small = burst(100, 2.1, 1.0);
    var full = burst(1000, 15.3, 7.7);

    Path file = Plots.figures(dir, "2026-12-01", "burst", List.of(small, full));

    var image = ImageIO.read(file.toFile());
    assertThat(file.getFileName()).hasToString("2026-12-01-burst.png");
    assertThat(image.getHeight())
        .as("a heading and two panels, one per figure name")
        .isEqualTo(Plots.HEADER_HEIGHT + 2 * Plots.PANEL_HEIGHT);
  }
}
