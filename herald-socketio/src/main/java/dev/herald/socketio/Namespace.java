package dev.herald.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.herald.socketio.adapter.Adapter;
import dev.herald.socketio.adapter.BroadcastFlags;
import dev.herald.socketio.adapter.InMemoryAdapter;
import dev.herald.socketio.handler.AnyHandler;
import dev.herald.socketio.handler.CallHandler;
import dev.herald.socketio.handler.ConnectHandler;
import dev.herald.socketio.handler.DisconnectHandler;
import dev.herald.socketio.handler.ErrorHandler;
import dev.herald.socketio.handler.EventHandler;
import dev.herald.socketio.handler.Middleware;
import dev.herald.socketio.handler.NamespaceMatcher;
import dev.herald.socketio.handler.RecoveryFailedHandler;
import dev.herald.socketio.handler.ServerSideEmitHandler;
import dev.herald.socketio.internal.Json;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A namespace: a named channel of a {@link SocketIoServer} with its own handlers, middlewares,
 * rooms (through its {@link Adapter}) and sockets, as socket.io's {@code Namespace}.
 *
 * <p>Handlers registered here serve every socket of the namespace (the Flask-SocketIO style);
 * handlers registered on a {@link Socket} serve that socket only (the Node style). A namespace
 * returned by {@code io.of(Pattern)} or {@code io.of(NamespaceMatcher)} is a parent: its handlers
 * serve every child namespace created on demand, and its broadcasts reach all of them.
 *
 * <p>Threading: every method may be called from any thread.
 */
public final class Namespace {

    static {
        Access.install();
    }

    private static final Logger log = LoggerFactory.getLogger(Namespace.class);

    private final SocketIoServer server;
    private final String name;
    private final Handlers handlers;
    private final Adapter adapter;
    // Any thread: the sockets connected here, on this node.
    private final Map<String, Socket> sockets = new ConcurrentHashMap<>();
    // How sockets join: restore, middlewares, admission, hooks.
    private final ConnectFlow connects;
    // Ack ids are per namespace so that one broadcast packet can carry one id to every recipient.
    private final AtomicLong ids = new AtomicLong();
    // For a parent namespace: the children created so far.
    private final List<Namespace> children;
    private final NamespaceMatcher matcher;
    // For a child of a dynamic namespace: its parent; null otherwise.
    private final Namespace parent;
    // Child namespaces with cleanupEmptyChildNamespaces only, guarded by `this`: connects looked
    // up and not yet finished, and whether the namespace was dropped (a later connect makes a new one).
    private int visits;
    private boolean retired;

    Namespace(SocketIoServer server, String name, Handlers handlers, NamespaceMatcher matcher) {
        this(server, name, handlers, matcher, null);
    }

    private Namespace(
            SocketIoServer server, String name, Handlers handlers, NamespaceMatcher matcher, Namespace parent) {
        this.server = server;
        this.name = name;
        this.handlers = handlers;
        this.matcher = matcher;
        this.parent = parent;
        this.children = matcher == null ? List.of() : new CopyOnWriteArrayList<>();
        this.adapter = matcher == null ? server.options().adapterFactory().create(this) : new InMemoryAdapter(this);
        adapter.init();
        this.connects = new ConnectFlow(this);
    }

    /** The name, {@code "/"} for the main namespace. */
    public String name() {
        return name;
    }

    /** The server. */
    public SocketIoServer server() {
        return server;
    }

    /** The adapter holding this namespace's rooms. */
    public Adapter adapter() {
        return adapter;
    }

    /** The sockets connected to this namespace on this node, by id (a live read-only view). */
    public Map<String, Socket> sockets() {
        return Collections.unmodifiableMap(sockets);
    }

    // ---------------------------------------------------------------- registration

    /**
     * Handles an event from any socket of this namespace. {@code "connection"} registers a
     * connect handler whose args hold the auth payload.
     *
     * @throws IllegalArgumentException for a reserved event name
     */
    public Namespace on(String event, EventHandler handler) {
        Objects.requireNonNull(handler, "handler");
        if ("connection".equals(event)) {
            return onConnect(s -> handler.handle(
                    s, EventArgs.of(Json.array().add(s.handshake().auth()))));
        }
        handlers.addEvent(ReservedEvents.check(event), handler);
        return this;
    }

    /** Handles an event; the return value becomes the ack. One per event name. */
    public Namespace onCall(String event, CallHandler handler) {
        handlers.addCall(ReservedEvents.check(event), Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /**
     * Runs when a socket has joined; throwing {@link ConnectionRefusedException} before the socket's
     * first write refuses it (see {@link ConnectHandler}).
     */
    public Namespace onConnect(ConnectHandler handler) {
        handlers.connect.add(Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /**
     * Runs when a client asked to resume its session (connection state recovery) and could not:
     * the socket is a fresh one, and the reason says why. Runs before the connect handlers.
     */
    public Namespace onRecoveryFailed(RecoveryFailedHandler handler) {
        handlers.recoveryFailed.add(Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /** Runs when a socket is about to leave, still in its rooms. */
    public Namespace onDisconnecting(DisconnectHandler handler) {
        handlers.disconnecting.add(Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /** Runs when a socket has left. */
    public Namespace onDisconnect(DisconnectHandler handler) {
        handlers.disconnect.add(Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /** Adds a connection middleware; they run in registration order. */
    public Namespace use(Middleware middleware) {
        handlers.middlewares.add(Objects.requireNonNull(middleware, "middleware"));
        return this;
    }

    /** Sees every incoming event of every socket here, before its handlers. */
    public Namespace onAny(AnyHandler handler) {
        handlers.anyIncoming.add(Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /** Like {@link #onAny}, but runs before the catch-alls registered so far. */
    public Namespace prependAny(AnyHandler handler) {
        handlers.anyIncoming.add(0, Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /** Removes a catch-all registered with {@link #onAny} or {@link #prependAny}. */
    public Namespace offAny(AnyHandler handler) {
        handlers.anyIncoming.remove(Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /** Removes every catch-all. */
    public Namespace offAny() {
        handlers.anyIncoming.clear();
        return this;
    }

    /** Handles the event once, from the first socket that sends it, then forgets the handler. */
    public Namespace once(String event, EventHandler handler) {
        handlers.addOnce(ReservedEvents.check(event), Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /** Removes one handler of the event, registered with {@link #on} or {@link #once}. */
    public Namespace off(String event, EventHandler handler) {
        handlers.off(Objects.requireNonNull(event, "event"), Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /**
     * Removes every handler of the event, the {@link #onCall} one included; {@code "disconnect"}
     * and {@code "disconnecting"} remove those handlers.
     */
    public Namespace off(String event) {
        handlers.offAll(Objects.requireNonNull(event, "event"));
        return this;
    }

    /**
     * Removes every event, catch-all and disconnect handler of this namespace, as Node's
     * {@code removeAllListeners()}; middlewares, connect and error handlers stay.
     */
    public Namespace removeAllListeners() {
        handlers.removeAll();
        return this;
    }

    /**
     * Sets the handler of what this namespace's handlers and middlewares throw, as Flask-SocketIO's
     * {@code on_error(namespace)}; a later call replaces it. Without one, the server's
     * {@link SocketIoServer#onError} handler gets the error.
     */
    public Namespace onError(ErrorHandler handler) {
        handlers.error = Optional.of(Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /**
     * Handles an event sent by another node of the cluster with {@link #serverSideEmit}, on a
     * virtual thread; {@code args.ack(value)} answers a {@code serverSideEmitWithAck}.
     */
    public Namespace onServerSideEmit(String event, ServerSideEmitHandler handler) {
        Objects.requireNonNull(event, "event");
        handlers.serverSide
                .computeIfAbsent(event, k -> new CopyOnWriteArrayList<>())
                .add(Objects.requireNonNull(handler, "handler"));
        return this;
    }

    // ---------------------------------------------------------------- broadcasting

    private BroadcastOperator all() {
        return new BroadcastOperator(this, Set.of(), Set.of(), BroadcastFlags.DEFAULT);
    }

    /** Emits to every socket of the namespace. */
    public void emit(String event, Object... args) {
        all().emit(event, args);
    }

    /**
     * Emits to every socket and collects their acks, waiting for the server's {@code ackTimeout}
     * (or use {@code timeout(d).emitWithAck}); see {@link BroadcastOperator#emitWithAck}.
     */
    public CompletableFuture<List<EventArgs>> emitWithAck(String event, Object... args) {
        return all().emitWithAck(event, args);
    }

    /** Emits the {@code message} event to every socket. */
    public void send(Object... args) {
        all().send(args);
    }

    /** A broadcast to the rooms. */
    public BroadcastOperator to(String... rooms) {
        return all().to(rooms);
    }

    /** The same as {@link #to}, as Node's {@code in}. */
    public BroadcastOperator in(String... rooms) {
        return to(rooms);
    }

    /** A broadcast to everyone but the rooms. */
    public BroadcastOperator except(String... rooms) {
        return all().except(rooms);
    }

    /** A broadcast that may be dropped for clients that cannot take it now. */
    public BroadcastOperator asVolatile() {
        return all().asVolatile();
    }

    /** A broadcast to the sockets of this node only. */
    public BroadcastOperator local() {
        return all().local();
    }

    /** A broadcast whose acks are awaited for at most {@code timeout}. */
    public BroadcastOperator timeout(Duration timeout) {
        return all().timeout(timeout);
    }

    /** A snapshot of every socket of the namespace (cluster-wide with a cluster adapter). */
    public CompletableFuture<List<RemoteSocket>> fetchSockets() {
        return all().fetchSockets();
    }

    /** Makes every socket join the rooms. */
    public void socketsJoin(String... rooms) {
        all().socketsJoin(rooms);
    }

    /** Makes every socket leave the rooms. */
    public void socketsLeave(String... rooms) {
        all().socketsLeave(rooms);
    }

    /** Disconnects every socket; {@code close} also closes their connections. */
    public void disconnectSockets(boolean close) {
        all().disconnectSockets(close);
    }

    /**
     * Sends an event to this namespace on the other nodes of the cluster (never to clients).
     *
     * @throws UnsupportedOperationException with the single-node {@link InMemoryAdapter}
     */
    public void serverSideEmit(String event, Object... args) {
        adapter.serverSideEmit(ReservedEvents.check(event), Json.arrayOf(args));
    }

    /**
     * Like {@link #serverSideEmit}, collecting one answer per other node within the timeout. When
     * some node does not answer in time, the future fails with an {@link AckTimeoutException}
     * whose {@code responses()} hold the answers that came (each as one argument).
     */
    public CompletableFuture<List<JsonNode>> serverSideEmitWithAck(String event, Duration timeout, Object... args) {
        return adapter.serverSideEmitWithAck(
                ReservedEvents.check(event), Json.arrayOf(args), Objects.requireNonNull(timeout, "timeout"));
    }

    // ---------------------------------------------------------------- internals

    Handlers handlers() {
        return handlers;
    }

    boolean isParent() {
        return matcher != null;
    }

    List<Namespace> children() {
        return children;
    }

    Optional<Socket> localSocket(String id) {
        return Optional.ofNullable(sockets.get(id));
    }

    long nextAckId() {
        return ids.getAndIncrement();
    }

    boolean matches(String nspName, JsonNode auth) {
        return matcher != null && matcher.matches(nspName, auth);
    }

    Namespace createChild(String childName) {
        Namespace child = new Namespace(server, childName, handlers, null, this);
        children.add(child);
        return child;
    }

    /**
     * A connect is on its way into this namespace; false if the namespace was dropped as an empty
     * child meanwhile (the caller looks it up again, which creates a new one).
     */
    synchronized boolean enter() {
        if (retired) {
            return false;
        }
        visits++;
        return true;
    }

    /** The connect that entered has finished, connected or not. */
    void endVisit() {
        synchronized (this) {
            visits--;
        }
        retireIfEmpty();
    }

    /**
     * With {@code cleanupEmptyChildNamespaces}, a child namespace that has no socket left and no
     * connect on its way is dropped, as Node does: out of the server's map and its parent's
     * children, its adapter closed.
     */
    private void retireIfEmpty() {
        if (parent == null || !server.options().cleanupEmptyChildNamespaces()) {
            return;
        }
        synchronized (this) {
            if (retired || visits > 0 || !sockets.isEmpty()) {
                return;
            }
            retired = true;
        }
        log.debug("empty child namespace {} dropped", name);
        server.forget(this);
        parent.children.remove(this);
        adapter.close();
    }

    void remove(Socket socket) {
        if (!sockets.remove(socket.id(), socket)) {
            return;
        }
        connects.forget(socket);
        retireIfEmpty();
    }

    /**
     * A client asked to join (event loop); see {@link ConnectFlow}.
     */
    void add(Client client, JsonNode auth) {
        connects.add(client, auth);
    }

    /** A socket that passed its middlewares joins the namespace's map (not yet its rooms). */
    void register(Socket socket) {
        sockets.put(socket.id(), socket);
    }

    void reportError(Socket socket, String event, Throwable error) {
        if (error instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        Optional<ErrorHandler> own = handlers.error;
        if (own.isPresent()) {
            try {
                own.get().handle(socket, event, error);
                return;
            } catch (Throwable t) {
                error.addSuppressed(t);
            }
        }
        server.defaultErrorHandler().handle(socket, event, error);
    }

    void deliverServerSideEmit(String event, ArrayNode args, Optional<Consumer<JsonNode>> ack) {
        List<ServerSideEmitHandler> list = handlers.serverSide.getOrDefault(event, List.of());
        // One answer per node: the first ack of any handler, else null once all have run.
        EventArgs received = EventArgs.replyingTo(args, ack.map(a -> (Consumer<ArrayNode>)
                values -> a.accept(values.isEmpty() ? JsonNodeFactory.instance.nullNode() : values.get(0))));
        server.threads().async(() -> {
            for (ServerSideEmitHandler h : list) {
                try {
                    h.handle(event, received);
                } catch (Throwable t) {
                    log.warn("server-side event handler failed, nsp={} event={}", name, event, t);
                }
            }
            received.ack();
        });
    }

    @Override
    public String toString() {
        return "Namespace[" + name + "]";
    }
}
