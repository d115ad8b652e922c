package dev.stepwise.environments.ssh;

import dev.stepwise.runners.ProcessMark;
import dev.stepwise.runners.StepRun;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The shell texts Stepwise runs on a remote machine. A step's script (its variables, its working
 * directory, its command) travels as data on standard input into a file only its user can read,
 * so that no secret appears in a command line or the process list; the commands that place, run
 * and stop it are constants with one checked name in them. Thread-safe (stateless).
 */
final class RemoteScripts {
  /** Where a step's script and working directories live, under the remote user's home. */
  static final String HOME_DIR = "$HOME/.stepwise";
  private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]{1,200}");

  /**
   * Stops every process carrying a step's mark ($1), found in /proc: TERM, up to $2 seconds of
   * grace, then KILL to what is left. Prints "found killed survivors".
   */
  static final String STOP = """
      mark="STEPWISE_STEP_MARK=$1"; grace="$2"
      marked() {
        for dir in /proc/[0-9]*; do
          pid="${dir#/proc/}"
          [ "$pid" = "$$" ] && continue
          if { tr '\\0' '\\n' < "$dir/environ"; } 2>/dev/null | grep -qxF -- "$mark"; then printf '%s ' "$pid"; fi
        done
      }
      count() { set -- $1; echo $#; }
      found=$(marked)
      total=$(count "$found")
      if [ "$total" -eq 0 ]; then echo "0 0 0"; exit 0; fi
      kill -TERM $found 2>/dev/null
      tenths=0
      left=$(marked)
      while [ -n "$left" ] && [ "$tenths" -lt $((grace * 10)) ]; do sleep 0.1; tenths=$((tenths + 1)); left=$(marked); done
      killed=0
      if [ -n "$left" ]; then
        killed=$(count "$left"); kill -KILL $left 2>/dev/null; sleep 0.2; left=$(marked)
      fi
      echo "$total $killed $(count "$left")"
      """;

  private RemoteScripts() {}

  /** The file name of a step attempt's script: its mark, made a file name. */
  static String key(ProcessMark mark) {
    String key = mark.value().replace('/', '_');
    if (!SAFE.matcher(key).matches()) throw new IllegalArgumentException("not a file name: " + key);
    return key;
  }

  /** Reads the script from standard input into its file, readable by the remote user only. */
  static String place(String key) {
    return "umask 077 && mkdir -p \"" + HOME_DIR + "/steps\" && cat > \"" + HOME_DIR + "/steps/" + checked(key) + ".sh\"";
  }

  /** Runs the placed script (which deletes itself first). */
  static String run(String key) {
    return "exec /bin/sh \"" + HOME_DIR + "/steps/" + checked(key) + ".sh\"";
  }

  /** Runs {@link #STOP} for a mark: the script on standard input, the mark and grace as arguments. */
  static String stop(String value, int graceSeconds) {
    if (!Pattern.compile("[A-Za-z0-9._/-]{1,200}").matcher(value).matches()) {
      throw new IllegalArgumentException("not a mark: " + value);
    }
    return "/bin/sh -s -- '" + value + "' " + graceSeconds;
  }

  /**
   * A step's script: it removes its own file, exports the step's variables and its mark, goes to
   * the execution's working directory and replaces itself with the command. Output is for a log,
   * not a terminal: no pager, no colours.
   */
  static String step(StepRun run) {
    var script = new StringBuilder("rm -f \"$0\"\n");
    for (Map.Entry<String, String> variable : run.env().entrySet()) {
      script.append("export ").append(variable.getKey()).append('=').append(quote(variable.getValue())).append('\n');
    }
    script.append("export ").append(ProcessMark.VARIABLE).append('=').append(quote(run.mark().value())).append('\n');
    script.append("export TERM=dumb PAGER=cat GIT_PAGER=cat\n");
    String workdir = HOME_DIR + "/work/" + run.executionId();
    script.append("mkdir -p \"").append(workdir).append("\" && cd \"").append(workdir).append("\" || exit 126\n");
    List<String> command = run.spec().run() != null ? List.of("/bin/sh", "-c", run.spec().run()) : run.spec().argv();
    script.append("exec");
    command.forEach(word -> script.append(' ').append(quote(word)));
    return script.append('\n').toString();
  }

  /** A word for the shell, single-quoted: nothing in it is interpreted. */
  static String quote(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }

  private static String checked(String key) {
    if (!SAFE.matcher(key).matches()) throw new IllegalArgumentException("not a file name: " + key);
    return key;
  }
}
