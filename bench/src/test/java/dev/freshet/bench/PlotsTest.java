package dev.freshet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {
  @TempDir Path dir;

  @Test
  void drawsOnePanelPerFigureNameAcrossSizes() throws Exception {
    var small =
        ScenarioResult.of("burst", "freshet")
            .set("workloads", 100)
            .add(
                Figure.against(
                    "all rolled via webhooks (from the first send)", 2.1, "s", 1.0, "direct"))
            .add(Figure.of("poll interval", 30, "s"));
    var full =
        ScenarioResult.of("burst", "freshet")
            .set("workloads", 1000)
            .add(
                Figure.against(
                    "all rolled via webhooks (from the first send)", 15.3, "s", 7.7, "direct"))
            .add(Figure.of("poll interval", 30, "s"));

    Path file = Plots.figures(dir, "2026-12-01", "burst", List.of(small, full));

    var image = ImageIO.read(file.toFile());
    assertThat(file.getFileName()).hasToString("2026-12-01-burst.png");
    assertThat(image.getHeight())
        .as("a heading and two panels, one per figure name")
        .isEqualTo(Plots.HEADER_HEIGHT + 2 * Plots.PANEL_HEIGHT);
  }
}
