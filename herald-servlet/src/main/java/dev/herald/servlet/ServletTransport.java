package dev.herald.servlet;

import dev.herald.engineio.CorsOptions;
import dev.herald.engineio.EngineIoServer;
import dev.herald.engineio.transport.CorsPolicy;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Herald inside an existing Jakarta Servlet 6 web application (Tomcat 11, Jetty 12 ee10, or any
 * container with Servlet 6 and Jakarta WebSocket 2.1): long-polling through an async servlet and
 * WebSocket through the container's Jakarta WebSocket, both on one path of the application's own
 * port, {@code /socket.io/} by default.
 *
 * <pre>{@code
 * // in a ServletContextListener, or a ServletContainerInitializer
 * public void contextInitialized(ServletContextEvent e) {
 *     transport = ServletTransport.builder(io.engine()).build().install(e.getServletContext());
 * }
 * }</pre>
 *
 * <p>Sessions live on the transport's own loops ({@link Builder#loops(int)} single-thread
 * executors), never on the container's threads, and Socket.IO handlers keep running on virtual
 * threads. When the container destroys the servlet (the application stops), every session is
 * closed with {@code server shutting down} first; {@link #close()} does the same earlier.
 *
 * <p>Threading: {@link #install} once, while the context initializes; {@link #close()} from any
 * thread, any number of times.
 */
public final class ServletTransport implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServletTransport.class);

    private final EngineIoServer engine;
    private final String path;
    private final CorsPolicy cors;
    private final int loopCount;
    private final Duration shutdownTimeout;
    // Created by install(), stopped by close(); any thread reads it after install.
    private volatile Loops loops;
    private final AtomicBoolean installed = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private ServletTransport(Builder b) {
        this.engine = b.engine;
        this.path = b.path;
        this.cors = new CorsPolicy(b.cors);
        this.loopCount = b.loops;
        this.shutdownTimeout = b.shutdownTimeout;
    }

    /** A builder for this engine (for Socket.IO, {@code io.engine()}), with the defaults. */
    public static Builder builder(EngineIoServer engine) {
        return new Builder(Objects.requireNonNull(engine, "engine"));
    }

    /**
     * Registers the servlet on {@link #path()} of this context (async supported) and starts the
     * loops. Call while the context initializes: from a {@code ServletContextListener}'s
     * {@code contextInitialized} or a {@code ServletContainerInitializer}. The WebSocket upgrade
     * uses the container's {@code jakarta.websocket.server.ServerContainer}, which must be
     * enabled in the context (it is by default in Tomcat and in a Jetty context configured with
     * {@code JakartaWebSocketServletContainerInitializer}).
     *
     * @return this transport
     */
    public ServletTransport install(ServletContext context) {
        Objects.requireNonNull(context, "context");
        if (!installed.compareAndSet(false, true)) {
            throw new IllegalStateException("this ServletTransport is installed already");
        }
        loops = new Loops(loopCount, "herald-servlet");
        ServletRegistration.Dynamic reg =
                context.addServlet("herald-engineio " + path, new TransportServlet(this, cors));
        if (reg == null) {
            throw new IllegalStateException("a servlet named 'herald-engineio " + path + "' is registered already");
        }
        reg.setAsyncSupported(true);
        reg.setLoadOnStartup(1);
        // "/socket.io/*" also matches "/socket.io" itself.
        reg.addMapping(path + "*");
        log.info("Herald on {}{} in {} ({} loops)", context.getContextPath(), path, context.getServerInfo(), loopCount);
        return this;
    }

    /** The Engine.IO path inside the context, such as {@code /socket.io/}. */
    public String path() {
        return path;
    }

    /** The mounted engine. */
    public EngineIoServer engine() {
        return engine;
    }

    Loops loops() {
        return loops;
    }

    /**
     * Closes every session ({@code server shutting down}: what was queued before is still
     * written), refuses new ones, and stops the loops once they have run what is left, waiting up
     * to the shutdown timeout. The container itself keeps running.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        engine.close();
        Loops l = loops;
        if (l != null) {
            l.shutdown(shutdownTimeout);
        }
    }

    /** Builds a {@link ServletTransport}; {@link #build()} validates the settings. */
    public static final class Builder {
        private final EngineIoServer engine;
        private String path = "/socket.io/";
        private CorsOptions cors = CorsOptions.sameOriginOnly();
        private int loops = Math.max(2, Runtime.getRuntime().availableProcessors());
        private Duration shutdownTimeout = Duration.ofSeconds(3);

        private Builder(EngineIoServer engine) {
            this.engine = engine;
        }

        /** The Engine.IO path inside the context; default {@code /socket.io/}. A trailing slash is added if missing. */
        public Builder path(String path) {
            this.path = Objects.requireNonNull(path, "path");
            return this;
        }

        /**
         * Who may use the path from a foreign origin, on polling and the WebSocket upgrade alike,
         * and the CORS headers sent (as {@code NettyServer.Builder.cors}). Default: same origin only.
         */
        public Builder cors(CorsOptions options) {
            this.cors = Objects.requireNonNull(options, "cors");
            return this;
        }

        /**
         * How many single-thread loops own the sessions (each session is pinned to one); default
         * the number of cores, at least 2.
         */
        public Builder loops(int count) {
            this.loops = count;
            return this;
        }

        /** How long {@link ServletTransport#close()} waits for the loops to finish; default 3 s. */
        public Builder shutdownTimeout(Duration timeout) {
            this.shutdownTimeout = Objects.requireNonNull(timeout, "shutdownTimeout");
            return this;
        }

        /** Validates and builds the (not yet installed) transport. */
        public ServletTransport build() {
            if (loops < 1) {
                throw new IllegalArgumentException("loops must be >= 1, was " + loops);
            }
            if (shutdownTimeout.isNegative()) {
                throw new IllegalArgumentException("shutdownTimeout must not be negative, was " + shutdownTimeout);
            }
            String p = path.startsWith("/") ? path : "/" + path;
            if (!p.endsWith("/")) {
                p = p + "/";
            }
            if (p.length() < 2 || p.contains("*")) {
                throw new IllegalArgumentException(
                        "path must be a path below the context root without '*', was " + path);
            }
            this.path = p;
            return new ServletTransport(this);
        }
    }
}
