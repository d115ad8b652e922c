package example;

import java.util.List;
import java.util.Map;

public class Accounts {
  private final Map<String, Long> balances;

  public Accounts(Map<String, Long> balances) {
    this.balances = balances;
  }

  /** Moves an amount between two accounts. */
  public synchronized long transfer(String from, String to, long amount) throws IllegalStateException {
    if (from == null || to == null) {
      throw new IllegalArgumentException("accounts are required");
    }
    if (amount <= 0) {
      throw new IllegalArgumentException("amount must be positive");
    }
    long available = balances.getOrDefault(from, 0L);
    if (available < amount) {
      throw new IllegalStateException("insufficient funds");
    }
    balances.put(from, available - amount);
    balances.merge(to, amount, Long::sum);
    return available - amount;
  }

  static int countActive(List<String> names, boolean includeClosed) {
    return names.size();
  }
}
