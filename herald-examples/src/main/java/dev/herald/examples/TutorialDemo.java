package dev.herald.examples;

import dev.herald.socketio.Socket;
import dev.herald.socketio.annotation.On;
import dev.herald.socketio.annotation.SocketNamespace;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The Flask-SocketIO tutorial that could not push "start to process..." before its work ended: here
 * the first message leaves at once, the handler blocks for the work (on its own virtual thread,
 * stalling no one), then "processed" follows. Written as an annotated class to show that style.
 */
@SocketNamespace("/testnamespace")
public final class TutorialDemo {

    /** How long the tutorial's work takes: 5 s, as in the original. */
    public static final Duration DEFAULT_WORK = Duration.ofSeconds(5);

    private final Duration work;
    private final RunningWork running;

    TutorialDemo(Duration work, RunningWork running) {
        this.work = Objects.requireNonNull(work, "work");
        this.running = Objects.requireNonNull(running, "running");
    }

    /** Answers at once, works, then answers again; the page shows when each message arrived. */
    @On("request_for_response")
    void requestForResponse(Socket socket) throws Exception {
        running.run(() -> {
            socket.emit("response", Map.of("code", "200", "msg", "start to process..."));
            Thread.sleep(work);
            socket.emit("response", Map.of("code", "200", "msg", "processed"));
        });
    }
}
