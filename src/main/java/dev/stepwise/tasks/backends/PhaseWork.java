package dev.stepwise.tasks.backends;

import dev.stepwise.runners.OutputSink;
import dev.stepwise.runners.StepRun;
import dev.stepwise.tasks.Task;
import dev.stepwise.tasks.Phase;
import dev.stepwise.tasks.sessions.Session;
import java.nio.file.Path;

/**
 * One phase for a backend to do.
 *
 * @param prompt what the agent is asked to do in this phase
 * @param step the engine's step: its timeout, cancel signal, process mark, fence and environment
 * @param output the step's log
 */
public record PhaseWork(Task task, Session session, Phase phase, Path worktree, String prompt, StepRun step,
    OutputSink output) {}
