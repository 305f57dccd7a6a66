package dev.freshet.operator;

import dev.freshet.app.api.App;
import dev.freshet.observe.EventReason;
import dev.freshet.observe.EventRecorder;
import io.javaoperatorsdk.operator.processing.event.source.filter.GenericFilter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps Apps whose spec Freshet cannot read away from the App controller, and says so once per
 * version of each: a log line and a Warning Event on the App, which {@code kubectl describe} shows.
 * Such an App was stored under an older, laxer schema; the others in its namespace go on as usual,
 * and the App is reconciled again as soon as an edit makes it readable.
 */
final class UnreadableApps implements GenericFilter<App> {
  private static final Logger log = LoggerFactory.getLogger(UnreadableApps.class);

  private final EventRecorder events;

  /**
   * The resourceVersion last reported per App uid, so a resync does not repeat it. An unreadable
   * App that is deleted leaves its entry: a few bytes, and only for Apps stored under an old
   * schema.
   */
  private final Map<String, String> reported = new ConcurrentHashMap<>();

  UnreadableApps(EventRecorder events) {
    this.events = events;
  }

  @Override
  public boolean accept(App app) {
    var unreadable = app.unreadableSpec();
    String uid = app.getMetadata().getUid();
    if (unreadable.isEmpty()) {
      reported.remove(uid);
      return true;
    }
    String version = app.getMetadata().getResourceVersion();
    if (!version.equals(reported.put(uid, version))) {
      String message =
          "Freshet cannot read this App and leaves it alone until it is fixed: " + unreadable.get();
      log.warn(
          "App {}/{} skipped: {}",
          app.getMetadata().getNamespace(),
          app.getMetadata().getName(),
          message);
      events.record(app, EventReason.SpecUnreadable, message);
    }
    return false;
  }
}
