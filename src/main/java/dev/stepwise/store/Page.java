package dev.stepwise.store;

import java.util.List;

/** One page of a list: {@code items}, and the cursor of the next page or {@code null}. */
public record Page<T>(List<T> items, String nextCursor) {

  /**
   * Cuts a query result fetched with {@code limit + 1} rows into a page, using the last item's id
   * as the cursor when there are more.
   */
  public static <T> Page<T> of(List<T> rows, int limit, java.util.function.ToLongFunction<T> id) {
    if (rows.size() <= limit) return new Page<>(rows, null);
    List<T> items = rows.subList(0, limit);
    return new Page<>(List.copyOf(items), Long.toString(id.applyAsLong(items.get(limit - 1))));
  }
}
