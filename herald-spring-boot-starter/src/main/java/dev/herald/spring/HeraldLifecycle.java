package dev.herald.spring;

import dev.herald.netty.NettyServer;
import dev.herald.socketio.SocketIoServer;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts Herald's separate Netty port when {@code herald.server.port} asks for one, and stops
 * Herald inside Boot's graceful shutdown: new connections are refused, every socket is
 * disconnected ({@code server shutting down}), and running handlers get what is left of
 * {@code spring.lifecycle.timeout-per-shutdown-phase} to return ({@link SocketIoServer#close(Duration)}).
 *
 * <p>Its phase is above the web server's graceful shutdown ({@value #PHASE}, 512 above the
 * web server's), so Herald stops first: otherwise the web server would wait its whole grace period
 * for the parked long-polling requests and the WebSockets that only Herald can end.
 */
public final class HeraldLifecycle implements SmartLifecycle {

    /** Stops before the web server's graceful shutdown ({@code SmartLifecycle.DEFAULT_PHASE - 1024}). */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

    // io.close(grace) may take about one second more than the grace it is given.
    private static final Duration CLOSE_MARGIN = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(HeraldLifecycle.class);

    private final SocketIoServer io;
    private final Optional<NettyServer> separate;
    private final Duration grace;
    // Spring's lifecycle processor calls start and stop on one thread at a time; read from any.
    private volatile boolean running;

    HeraldLifecycle(SocketIoServer io, Optional<NettyServer> separate, Duration shutdownPhase) {
        this.io = Objects.requireNonNull(io, "io");
        this.separate = Objects.requireNonNull(separate, "separate");
        Duration g = shutdownPhase.minus(CLOSE_MARGIN);
        this.grace = g.isNegative() ? Duration.ZERO : g;
    }

    /** The separate Netty port, once started, when {@code herald.server.port} is set. */
    public Optional<Integer> separatePort() {
        return separate.filter(s -> running).map(NettyServer::port);
    }

    /** How long running handlers may take to return when the application stops. */
    public Duration grace() {
        return grace;
    }

    @Override
    public void start() {
        separate.ifPresent(s -> {
            s.start();
            log.info("Herald on its own port {} ({})", s.port(), s.path());
        });
        running = true;
    }

    @Override
    public void stop() {
        io.close(grace);
        separate.ifPresent(NettyServer::close);
        running = false;
    }

    @Override
    public void stop(Runnable callback) {
        // Off the caller's thread: Boot stops the lifecycles of one phase together and waits for
        // their callbacks up to the phase timeout.
        Thread.ofPlatform().name("herald-shutdown").start(() -> {
            try {
                stop();
            } finally {
                callback.run();
            }
        });
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
