package dev.stepwise.ui;

import dev.stepwise.tasks.sessions.Activity;
import dev.stepwise.tasks.sessions.ActivityKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A session's activity as a page shows it: what the agent said in pieces while it streamed
 * ({@code thinking} entries of one turn in a row) read as one entry, and dropped when it is the very
 * text of the message that follows. The API keeps every entry as stored.
 */
final class ActivityView {
  private ActivityView() {}

  static List<Activity> of(List<Activity> activity) {
    List<Activity> merged = new ArrayList<>();
    for (Activity entry : activity) {
      Activity last = merged.isEmpty() ? null : merged.getLast();
      if (last != null && entry.kind() == ActivityKind.THINKING && last.kind() == ActivityKind.THINKING
          && Objects.equals(turn(last), turn(entry))) {
        merged.set(merged.size() - 1, new Activity(last.seq(), last.at(), last.kind(),
            text(last) + text(entry), last.tool(), last.data()));
      } else if (last != null && entry.kind() == ActivityKind.MESSAGE && last.kind() == ActivityKind.THINKING
          && text(last).strip().equals(text(entry).strip())) {
        merged.set(merged.size() - 1, entry);
      } else {
        merged.add(entry);
      }
    }
    return merged;
  }

  private static Object turn(Activity entry) {
    return entry.data() == null ? null : entry.data().get("turn");
  }

  private static String text(Activity entry) {
    return entry.text() == null ? "" : entry.text();
  }
}
