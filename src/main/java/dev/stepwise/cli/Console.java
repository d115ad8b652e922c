package dev.stepwise.cli;

import dev.stepwise.app.ConfigException;
import dev.stepwise.store.SchemaTooNewException;
import dev.stepwise.web.ApiError;
import java.util.concurrent.Callable;

/**
 * Runs a command's work and turns failures into one clear line each on stderr and an exit code:
 * 2 for bad settings, 3 for a database schema newer than this build, 1 for anything else.
 */
final class Console {
  private Console() {}

  static int run(Callable<Integer> work) {
    try {
      return work.call();
    } catch (ConfigException e) {
      e.problems().forEach(line -> System.err.println("stepwise: " + line));
      return 2;
    } catch (SchemaTooNewException e) {
      System.err.println("stepwise: " + e.getMessage());
      return 3;
    } catch (ApiError e) {
      System.err.println("stepwise: " + e.getMessage() + (e.details().isEmpty() ? "" : " " + e.details()));
      return 1;
    } catch (Exception e) {
      System.err.println("stepwise: " + Errors.describe(e));
      return 1;
    }
  }
}
