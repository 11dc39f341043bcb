package dev.herald.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.engineio.CloseReason;
import dev.herald.engineio.ConnectionError;
import dev.herald.engineio.EngineConnectionHandler;
import dev.herald.engineio.EngineIoServer;
import dev.herald.engineio.EngineSocket;
import dev.herald.engineio.EngineSocketListener;
import dev.herald.engineio.Message;
import dev.herald.socketio.handler.CallHandler;
import dev.herald.socketio.handler.ConnectHandler;
import dev.herald.socketio.handler.DisconnectHandler;
import dev.herald.socketio.handler.ErrorHandler;
import dev.herald.socketio.handler.EventHandler;
import dev.herald.socketio.handler.Middleware;
import dev.herald.socketio.handler.NamespaceMatcher;
import dev.herald.socketio.handler.ServerSideEmitHandler;
import dev.herald.socketio.internal.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Socket.IO v5 server: namespaces, sockets, rooms and broadcasts on top of an Engine.IO server.
 *
 * <pre>{@code
 * SocketIoServer io = SocketIoServer.create();
 * io.on("chat", (socket, args) -> io.emit("chat", args.get(0, String.class)));
 * NettyServer.builder().port(5000).engine(io.engine()).build().start();
 * }</pre>
 *
 * <p>Threading: handlers run on virtual threads, one socket's events in order; every method here
 * may be called from any thread and returns at once. The methods without a namespace act on the
 * main namespace {@code "/"}.
 */
public final class SocketIoServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SocketIoServer.class);

    private final SocketIoOptions options;
    // Any thread: namespaces by name (children of dynamic parents included).
    private final Map<String, Namespace> namespaces = new ConcurrentHashMap<>();
    private final List<Namespace> parents = new CopyOnWriteArrayList<>();
    // Any thread: open clients, for shutdown.
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    // One platform thread for timeouts (connect, acks); its tasks only flip state and hand off.
    private final ScheduledExecutorService scheduler;
    // Set once by close(); read by every new connection and packet.
    private volatile boolean closing;
    private final HandlerThreads threads;
    private final AtomicLong taskCounter = new AtomicLong();
    private final EngineConnectionHandler connectionHandler = this::onEngineOpen;
    private volatile ErrorHandler defaultErrorHandler = SocketIoServer::logError;
    private final EngineIoServer engine;
    private final Observers observers = new Observers();

    private SocketIoServer(SocketIoOptions options, ScheduledExecutorService timers) {
        this.options = Objects.requireNonNull(options, "options");
        this.scheduler = timers;
        this.threads = new HandlerThreads(options.dispatchMode(), options.connectTimeout());
        of("/");
        // The engine's connection_error reaches the observers too (metrics count refusals).
        this.engine = EngineIoServer.create(
                options.engine().toBuilder()
                        .onConnectionError(this::onConnectionRefused)
                        .build(),
                connectionHandler);
        Json.prime();
    }

    /** A server with default options (Engine.IO defaults too). */
    public static SocketIoServer create() {
        return create(SocketIoOptions.defaults());
    }

    /** A server with these options. */
    public static SocketIoServer create(SocketIoOptions options) {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "herald-sio-timer");
            t.setDaemon(true);
            return t;
        });
        // Almost every connect and ack timeout is cancelled; without this each one would stay in
        // the queue until it would have fired (45 s for connectTimeout), holding heap per connect.
        timer.setRemoveOnCancelPolicy(true);
        return new SocketIoServer(options, timer);
    }

    /**
     * A server whose connect and ack timeouts (and the adapter's recovery sweeps) run on
     * {@code timers}: tests pass a scheduler with virtual time. The server shuts it down on close.
     */
    static SocketIoServer create(SocketIoOptions options, ScheduledExecutorService timers) {
        return new SocketIoServer(options, Objects.requireNonNull(timers, "timers"));
    }

    /** The options. */
    public SocketIoOptions options() {
        return options;
    }

    /**
     * The Engine.IO server carrying this Socket.IO server, to hand to a transport:
     * {@code NettyServer.builder().port(5000).engine(io.engine()).build().start()}.
     */
    public EngineIoServer engine() {
        return engine;
    }

    /**
     * The Engine.IO handler, for embedding into another Engine.IO server: give it to an Engine.IO server to carry this Socket.IO server. Each
     * new session gets one Socket.IO client.
     */
    public EngineConnectionHandler connectionHandler() {
        return connectionHandler;
    }

    // ---------------------------------------------------------------- namespaces

    /** The namespace of that name, created if needed. */
    public Namespace of(String name) {
        Objects.requireNonNull(name, "name");
        String normalized = name.startsWith("/") ? name : "/" + name;
        return namespaces.computeIfAbsent(normalized, n -> new Namespace(this, n, new Handlers(), null));
    }

    /** A parent of dynamic namespaces: every name that fully matches the pattern. */
    public Namespace of(Pattern pattern) {
        Objects.requireNonNull(pattern, "pattern");
        return parent(pattern.pattern(), (name, auth) -> pattern.matcher(name).matches());
    }

    /** A parent of dynamic namespaces: every name the matcher accepts (it sees the auth payload). */
    public Namespace of(NamespaceMatcher matcher) {
        Objects.requireNonNull(matcher, "matcher");
        return parent("dynamic#" + (parents.size() + 1), matcher);
    }

    // A parent's name is never a valid namespace name (no leading slash, or a regex), so a
    // client cannot connect to the parent itself.
    private synchronized Namespace parent(String name, NamespaceMatcher matcher) {
        Namespace parent = new Namespace(this, name, new Handlers(), matcher);
        parents.add(parent);
        return parent;
    }

    /** The main namespace {@code "/"}. */
    public Namespace sockets() {
        return of("/");
    }

    /** An existing namespace. */
    public Optional<Namespace> namespace(String name) {
        return Optional.ofNullable(namespaces.get(name));
    }

    /**
     * The namespaces that exist now (children of dynamic namespaces included, their parents not),
     * a snapshot: for dashboards and metrics that walk every namespace.
     */
    public List<Namespace> namespaces() {
        return List.copyOf(namespaces.values());
    }

    /**
     * The namespace a CONNECT asks for, entered (see {@link Namespace#enter}): the caller must
     * end the visit once the connect has finished.
     */
    Optional<Namespace> enterNamespace(String name, JsonNode auth) {
        while (true) {
            Optional<Namespace> found = lookupNamespace(name, auth);
            if (found.isEmpty() || found.get().enter()) {
                return found;
            }
            // Dropped as an empty child a moment ago: a fresh one takes its place.
            namespaces.remove(name, found.get());
        }
    }

    /** Forgets a child namespace that was dropped because it became empty. */
    void forget(Namespace child) {
        namespaces.remove(child.name(), child);
    }

    Optional<Namespace> lookupNamespace(String name, JsonNode auth) {
        Namespace existing = namespaces.get(name);
        if (existing != null) {
            return Optional.of(existing);
        }
        for (Namespace parent : parents) {
            boolean match;
            try {
                match = parent.matches(name, auth);
            } catch (RuntimeException e) {
                log.warn("namespace matcher failed for a connect", e);
                match = false;
            }
            if (match) {
                return Optional.of(namespaces.computeIfAbsent(name, parent::createChild));
            }
        }
        return Optional.empty();
    }

    /**
     * Registers an annotated handler object ({@code @SocketNamespace}, {@code @On}, {@code @OnConnect},
     * {@code @OnDisconnect}). Every method is checked now.
     *
     * @throws IllegalArgumentException naming {@code Class.method} for a bad signature
     */
    public SocketIoServer register(Object handlers) {
        AnnotatedHandlers.register(this, Objects.requireNonNull(handlers, "handlers"));
        return this;
    }

    /**
     * Sets the handler of errors in namespaces that have none of their own, as Flask-SocketIO's
     * {@code on_error_default}; a later call replaces it. The default logs at WARN.
     */
    public SocketIoServer onError(ErrorHandler handler) {
        this.defaultErrorHandler = Objects.requireNonNull(handler, "handler");
        return this;
    }

    /**
     * Adds an observer of this server's sockets, rooms, events and acks (metrics, dashboards);
     * several may be added, and each sees what happens from now on. See {@link SocketIoObserver}
     * for the threads that call it.
     */
    public SocketIoServer observe(SocketIoObserver observer) {
        observers.add(Objects.requireNonNull(observer, "observer"));
        return this;
    }

    // ---------------------------------------------------------------- main namespace shortcuts

    /** Handles an event on the main namespace. */
    public SocketIoServer on(String event, EventHandler handler) {
        sockets().on(event, handler);
        return this;
    }

    /** Handles an event on the main namespace; the return value is the ack. */
    public SocketIoServer onCall(String event, CallHandler handler) {
        sockets().onCall(event, handler);
        return this;
    }

    /** Runs when a socket joins the main namespace. */
    public SocketIoServer onConnect(ConnectHandler handler) {
        sockets().onConnect(handler);
        return this;
    }

    /** Runs when a socket leaves the main namespace. */
    public SocketIoServer onDisconnect(DisconnectHandler handler) {
        sockets().onDisconnect(handler);
        return this;
    }

    /** Adds a middleware to the main namespace. */
    public SocketIoServer use(Middleware middleware) {
        sockets().use(middleware);
        return this;
    }

    /** Emits to every socket of the main namespace. */
    public void emit(String event, Object... args) {
        sockets().emit(event, args);
    }

    /** See {@link Namespace#onServerSideEmit}, on {@code "/"}. */
    public SocketIoServer onServerSideEmit(String event, ServerSideEmitHandler handler) {
        sockets().onServerSideEmit(event, handler);
        return this;
    }

    /** See {@link Namespace#serverSideEmit}, on {@code "/"}. */
    public void serverSideEmit(String event, Object... args) {
        sockets().serverSideEmit(event, args);
    }

    /** See {@link Namespace#serverSideEmitWithAck}, on {@code "/"}. */
    public CompletableFuture<List<JsonNode>> serverSideEmitWithAck(String event, Duration timeout, Object... args) {
        return sockets().serverSideEmitWithAck(event, timeout, args);
    }

    /** Emits to every socket of {@code "/"} and collects their acks; see {@link Namespace#emitWithAck}. */
    public CompletableFuture<List<EventArgs>> emitWithAck(String event, Object... args) {
        return sockets().emitWithAck(event, args);
    }

    /** Emits {@code message} to every socket of the main namespace. */
    public void send(Object... args) {
        sockets().send(args);
    }

    /** A broadcast to rooms of the main namespace. */
    public BroadcastOperator to(String... rooms) {
        return sockets().to(rooms);
    }

    /** The same as {@link #to}, as Node's {@code in}. */
    public BroadcastOperator in(String... rooms) {
        return to(rooms);
    }

    /** A broadcast to the main namespace except rooms. */
    public BroadcastOperator except(String... rooms) {
        return sockets().except(rooms);
    }

    /** A volatile broadcast to the main namespace. */
    public BroadcastOperator asVolatile() {
        return sockets().asVolatile();
    }

    /** A broadcast to the main namespace's sockets on this node only. */
    public BroadcastOperator local() {
        return sockets().local();
    }

    /** A broadcast to the main namespace whose acks are awaited for at most {@code timeout}. */
    public BroadcastOperator timeout(Duration timeout) {
        return sockets().timeout(timeout);
    }

    /** Snapshots of the main namespace's sockets. */
    public CompletableFuture<List<RemoteSocket>> fetchSockets() {
        return sockets().fetchSockets();
    }

    /** Makes every socket of the main namespace join the rooms. */
    public void socketsJoin(String... rooms) {
        sockets().socketsJoin(rooms);
    }

    /** Makes every socket of the main namespace leave the rooms. */
    public void socketsLeave(String... rooms) {
        sockets().socketsLeave(rooms);
    }

    /** Disconnects every socket of the main namespace. */
    public void disconnectSockets(boolean close) {
        sockets().disconnectSockets(close);
    }

    // ---------------------------------------------------------------- background tasks

    /**
     * Starts a task on its own named virtual thread ({@code herald-task-N}). It may block and emit;
     * what it throws is logged at WARN.
     */
    public BackgroundTask startBackgroundTask(BackgroundTask.Body body) {
        Objects.requireNonNull(body, "body");
        String name = "herald-task-" + taskCounter.incrementAndGet();
        Thread thread = Thread.ofVirtual().name(name).unstarted(() -> {
            try {
                body.run();
            } catch (InterruptedException e) {
                log.debug("background task {} interrupted", name);
            } catch (Throwable t) {
                log.warn("background task {} failed", name, t);
            }
        });
        BackgroundTask task = new BackgroundTask(thread);
        thread.start();
        return task;
    }

    /**
     * Disconnects every socket ({@code server shutting down}), closes their connections and the
     * adapters, without waiting: handlers already running finish on their own threads. See
     * {@link #close(Duration)} for a graceful stop. Safe to call more than once, and after the
     * transport (a {@code NettyServer}) was closed.
     */
    @Override
    public void close() {
        shutdown(Duration.ZERO, false);
    }

    /**
     * Stops gracefully: new connections and namespace connects are refused; every socket is
     * disconnected at once with reason {@code server shutting down} (disconnect handlers run, and
     * pending {@code emitWithAck} futures fail with {@link AckTimeoutException} "server shutting
     * down"); running handlers get up to {@code grace} to return and are then interrupted; last,
     * the Engine.IO connections close, so clients see a transport close and reconnect elsewhere,
     * as with the reference's {@code io.close()}. Blocks for at most about {@code grace} plus one
     * second. Called from a handler, it does not wait for that handler.
     */
    public void close(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must be >= 0, was " + grace);
        }
        shutdown(grace, true);
    }

    private synchronized void shutdown(Duration grace, boolean interrupt) {
        boolean first = !closing;
        closing = true;
        for (Client c : List.copyOf(clients)) {
            c.disconnectSockets(DisconnectReason.SERVER_SHUTTING_DOWN);
        }
        if (interrupt) {
            threads.await(grace);
        }
        for (Client c : List.copyOf(clients)) {
            c.closeEngine();
        }
        clients.clear();
        engine.close();
        if (first) {
            for (Namespace n : namespaces.values()) {
                n.adapter().close();
            }
            scheduler.shutdownNow();
        }
    }

    /** Whether {@link #close()} or {@link #close(Duration)} was called. */
    boolean closing() {
        return closing;
    }

    /** Handler threads alive now; for tests. */
    int handlerThreadCount() {
        return threads.count();
    }

    // ---------------------------------------------------------------- internals

    private EngineSocketListener onEngineOpen(EngineSocket engine) {
        if (closing) {
            engine.close();
            return new EngineSocketListener() {
                @Override
                public void onMessage(EngineSocket s, Message m) {}

                @Override
                public void onClose(EngineSocket s, CloseReason r, String d) {}
            };
        }
        Client client = new Client(this, engine);
        clients.add(client);
        if (observers.active()) {
            observers.connectionOpened(new Connection(client));
        }
        client.start();
        return client;
    }

    /** Open Engine.IO connections seen by this server; for tests. */
    int clientCount() {
        return clients.size();
    }

    void clientClosed(Client client) {
        clients.remove(client);
    }

    ScheduledExecutorService scheduler() {
        return scheduler;
    }

    ErrorHandler defaultErrorHandler() {
        return defaultErrorHandler;
    }

    HandlerThreads threads() {
        return threads;
    }

    private void onConnectionRefused(ConnectionError error) {
        if (observers.active()) {
            observers.connectionRefused(error);
        }
    }

    Observers observers() {
        return observers;
    }

    private static void logError(Socket socket, String event, Throwable error) {
        log.warn(
                "handler failed: sid={} nsp={} event={}",
                socket == null ? "-" : socket.id(),
                socket == null ? "-" : socket.namespace().name(),
                event,
                error);
    }
}
