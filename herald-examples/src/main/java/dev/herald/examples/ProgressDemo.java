package dev.herald.examples;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.socketio.BackgroundTask;
import dev.herald.socketio.EventArgs;
import dev.herald.socketio.Namespace;
import dev.herald.socketio.Socket;
import dev.herald.socketio.SocketIoServer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A long job on the server that reports each step to the tab that started it: {@code start_job}
 * {@code {steps}} runs a background task that emits {@code progress}
 * {@code {percent, step, steps, message}} to that socket only, then {@code job_done {seconds}};
 * {@code cancel_job} stops it and answers {@code job_cancelled {percent}}. A socket's job is
 * cancelled when the socket goes away. Each socket has at most one job; starting another cancels
 * the running one.
 */
public final class ProgressDemo {

    /** How long a whole job takes, whatever its step count: about 5 s. */
    public static final Duration DEFAULT_DURATION = Duration.ofSeconds(5);
    /** Fewer steps would not look like progress, more would be a flood: requests are clamped. */
    static final int MIN_STEPS = 20;

    static final int MAX_STEPS = 200;
    private static final int DEFAULT_STEPS = 25;
    private static final String JOB = "progress.job";

    private final SocketIoServer io;
    private final Duration duration;
    private final RunningWork running;

    ProgressDemo(SocketIoServer io, Duration duration, RunningWork running) {
        this.io = Objects.requireNonNull(io, "io");
        this.duration = Objects.requireNonNull(duration, "duration");
        this.running = Objects.requireNonNull(running, "running");
    }

    /** Registers the handlers on the main namespace. */
    void register() {
        Namespace nsp = io.sockets();
        nsp.on("start_job", this::start);
        nsp.on("cancel_job", (socket, args) -> cancel(socket, true));
        nsp.onDisconnect((socket, reason) -> cancel(socket, false));
    }

    private void start(Socket socket, EventArgs args) throws InterruptedException {
        cancel(socket, true);
        int steps = clamp(requestedSteps(args));
        Job job = new Job(socket, steps);
        job.task = io.startBackgroundTask(running.track(job::run));
        socket.data().put(JOB, job);
    }

    /** Stops the socket's job, if one runs, and waits for it so no progress follows the answer. */
    private void cancel(Socket socket, boolean answer) throws InterruptedException {
        if (!(socket.data().remove(JOB) instanceof Job job)
                || !job.state.compareAndSet(State.RUNNING, State.CANCELLED)) {
            return;
        }
        job.task.cancel();
        job.task.join(Duration.ofSeconds(1));
        if (answer) {
            socket.emit("job_cancelled", Map.of("percent", job.percent));
        }
    }

    private static int requestedSteps(EventArgs args) {
        if (args.isEmpty()) {
            return DEFAULT_STEPS;
        }
        JsonNode steps = args.node(0).path("steps");
        return steps.canConvertToInt() ? steps.asInt() : DEFAULT_STEPS;
    }

    private static int clamp(int steps) {
        return Math.max(MIN_STEPS, Math.min(MAX_STEPS, steps));
    }

    private enum State {
        RUNNING,
        DONE,
        CANCELLED
    }

    /** One socket's job; its body runs on the background task's thread. */
    private final class Job {
        private final Socket socket;
        private final int steps;
        // Flipped once, by the job when it ends or by cancel(); whoever wins decides the last message.
        private final AtomicReference<State> state = new AtomicReference<>(State.RUNNING);
        // Written by the job's thread; read by cancel() after the job stopped.
        private volatile int percent;
        // Set by start() before the job is put in data(), where cancel() finds it.
        private volatile BackgroundTask task;

        Job(Socket socket, int steps) {
            this.socket = socket;
            this.steps = steps;
        }

        void run() throws InterruptedException {
            long began = System.nanoTime();
            long pause = Math.max(1, duration.toMillis() / steps);
            for (int step = 1; step <= steps; step++) {
                Thread.sleep(pause); // the "work"; cancel() interrupts it
                if (state.get() != State.RUNNING) {
                    return;
                }
                percent = step * 100 / steps;
                socket.emit(
                        "progress",
                        Map.of("percent", percent, "step", step, "steps", steps, "message", "processed item " + step));
            }
            if (state.compareAndSet(State.RUNNING, State.DONE)) {
                socket.data().remove(JOB, this);
                socket.emit("job_done", Map.of("seconds", (System.nanoTime() - began) / 1e9));
            }
        }
    }
}
