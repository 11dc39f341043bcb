package dev.herald.socketio;

import dev.herald.engineio.Message;
import dev.herald.socketio.adapter.BroadcastFlags;
import dev.herald.socketio.adapter.PersistedSession;
import dev.herald.socketio.adapter.SocketDetails;
import dev.herald.socketio.handler.AnyHandler;
import dev.herald.socketio.handler.CallHandler;
import dev.herald.socketio.handler.DisconnectHandler;
import dev.herald.socketio.handler.EventHandler;
import dev.herald.socketio.handler.PacketMiddleware;
import dev.herald.socketio.internal.Mailbox;
import dev.herald.socketio.parser.Packet;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client's membership in one {@link Namespace}, as socket.io's {@code Socket}.
 *
 * <p>Threading: every method may be called from any thread. {@code emit}, {@code join},
 * {@code leave} and {@code disconnect} return at once: emits are encoded on the caller's thread and
 * handed to the connection's event loop, which writes them now, never after the current handler
 * returns. Handlers registered here run on the socket's virtual thread, in wire order (unless
 * the server uses {@link DispatchMode#CONCURRENT}).
 */
public final class Socket {

    private static final Logger log = LoggerFactory.getLogger(Socket.class);

    private final Client client;
    private final Namespace nsp;
    private final String id;
    // The private session id of connection state recovery; null when recovery is off.
    private final String pid;
    private final boolean recovered;
    private final Handshake handshake;
    // Set once by the connect flow (its virtual thread) before the socket is visible; read on close.
    private volatile Optional<String> startOffset = Optional.empty();
    // Completed when the disconnect flow has finished (rooms left, handlers run): a recovered
    // socket with the same id waits for it before it joins the rooms again.
    private final CompletableFuture<Void> gone = new CompletableFuture<>();
    // Any thread: created on first use by data() (most sockets never store anything).
    private volatile SocketData data;
    // Set by the connect flow once the connect handlers have run; read by onClose, which keeps the
    // session at once if set, else leaves it to the disconnect flow (queued behind the handlers).
    private volatile boolean settled;
    // Written once by onClose before the disconnect handlers run; null for a namespace-level leave.
    private volatile DisconnectDetails disconnectDetails;
    // Serializes this socket's handlers on virtual threads.
    private final Mailbox mailbox;

    private static final VarHandle DATA;
    private static final VarHandle OWN;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            DATA = lookup.findVarHandle(Socket.class, "data", SocketData.class);
            OWN = lookup.findVarHandle(Socket.class, "own", SocketHandlers.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // The way from EVENT packets to this socket's handlers.
    private final EventDispatch events = new EventDispatch(this);
    // Connecting, connected, disconnected, and the admission in between.
    private final SocketLifecycle life;
    // Events to the client, and the acks between them.
    private final SocketOutbox out;

    // Any thread: handlers registered on this socket; SocketHandlers.NONE until the first one.
    private volatile SocketHandlers own = SocketHandlers.NONE;

    Socket(Client client, Namespace nsp, String id, String pid, boolean recovered, Handshake handshake) {
        this.client = client;
        this.nsp = nsp;
        this.id = id;
        this.pid = pid;
        this.recovered = recovered;
        this.handshake = handshake;
        this.mailbox = nsp.server().threads().newMailbox();
        this.life = new SocketLifecycle(client);
        this.out = new SocketOutbox(this, nsp, client, life, pid != null);
    }

    /** The socket id: random, distinct from the Engine.IO session id, and the name of its personal room. */
    public String id() {
        return id;
    }

    /** The namespace the socket belongs to. */
    public Namespace namespace() {
        return nsp;
    }

    /**
     * Whether this socket resumed an earlier session through connection state recovery: its id,
     * rooms and {@link #data()} are the ones it had, and the events it missed were sent again
     * right after the CONNECT reply. False when recovery is off, for a first connection, and when
     * recovery failed ({@link Namespace#onRecoveryFailed} says why).
     */
    public boolean recovered() {
        return recovered;
    }

    /**
     * Once the socket has left because its connection ended: the Engine.IO cause and description,
     * as the {@code details} of Node's disconnect event (read it in a disconnect handler). Empty
     * while connected and when the socket left its namespace alone.
     */
    public Optional<DisconnectDetails> disconnectDetails() {
        return Optional.ofNullable(disconnectDetails);
    }

    /** What the client sent when connecting. */
    public Handshake handshake() {
        return handshake;
    }

    /**
     * Per-socket session data, thread-safe (no null values). Change it through the map's own
     * methods ({@code put}, {@code remove}, {@code compute}...): its views are read-only, so that
     * each change reaches the {@link SocketIoObserver}s (the Admin UI shows it, as Node's does).
     */
    public Map<String, Object> data() {
        return dataMap();
    }

    private SocketData dataMap() {
        SocketData d = data;
        if (d == null) {
            DATA.compareAndSet(this, null, new SocketData(this));
            d = data;
        }
        return d;
    }

    /** A recovered socket's data, put back before anyone sees the socket. */
    void restoreData(Map<String, Object> restored) {
        dataMap().restore(restored);
    }

    /** Called by {@link SocketData} after each change. */
    void dataChanged() {
        Observers observers = nsp.server().observers();
        if (observers.active() && connected()) {
            observers.socketDataChanged(this);
        }
    }

    /** The per-socket handlers, for registering: created on first use. */
    private SocketHandlers ownForRegistering() {
        SocketHandlers h = own;
        if (h == SocketHandlers.NONE) {
            OWN.compareAndSet(this, SocketHandlers.NONE, new SocketHandlers());
            h = own;
        }
        return h;
    }

    /**
     * Whether the socket is in its namespace now: from its admission (it is in its rooms; its
     * connect handlers run) until it leaves. Emits do not check it; they are dropped only once the
     * socket has left.
     */
    public boolean connected() {
        return life.connected();
    }

    /** The Engine.IO connection behind this socket, as Node's {@code socket.conn}. */
    public Connection conn() {
        return new Connection(client);
    }

    /** The current transport of the connection: {@code polling} or {@code websocket}. */
    public String transport() {
        return client.engine().transport();
    }

    /** The rooms the socket is in, its personal room included. */
    public Set<String> rooms() {
        return nsp.adapter().socketRooms(id).orElse(Set.of());
    }

    /** Joins rooms. Returns at once. */
    public Socket join(String... rooms) {
        return join(Arrays.asList(rooms));
    }

    /** Joins rooms. Returns at once. */
    public Socket join(Collection<String> rooms) {
        Set<String> set = new LinkedHashSet<>(rooms);
        set.forEach(r -> Objects.requireNonNull(r, "room"));
        nsp.adapter().addAll(id, set);
        return this;
    }

    /** Leaves a room. Returns at once. */
    public Socket leave(String room) {
        nsp.adapter().del(id, Objects.requireNonNull(room, "room"));
        return this;
    }

    // ---------------------------------------------------------------- emitting

    /**
     * Sends an event to this client. {@code byte[]} and {@code ByteBuffer} anywhere in the
     * arguments travel as binary attachments; everything else is converted with Jackson.
     *
     * @throws IllegalArgumentException if the event name is reserved
     */
    public void emit(String event, Object... args) {
        out.emit(true, event, args);
    }

    /** Emits the {@code message} event. */
    public void send(Object... args) {
        emit("message", args);
    }

    /**
     * A view of this socket whose emits carry this {@code compress} flag, as Node's
     * {@code socket.compress(false).emit(...)}: with false the packet is sent uncompressed even
     * where compression is on. Emits through {@link #emit} may be compressed.
     */
    public CompressEmitter compress(boolean compress) {
        return new CompressEmitter(this, compress);
    }

    /** A view of this socket whose emits may be dropped when the client cannot take them now. */
    public VolatileEmitter asVolatile() {
        return new VolatileEmitter(this);
    }

    /**
     * Emits and waits for the client's ack, for the server's {@code ackTimeout} if set, else with
     * no timeout (the future fails if the socket leaves).
     */
    public CompletableFuture<EventArgs> emitWithAck(String event, Object... args) {
        return out.emitWithAck(nsp.server().options().ackTimeout(), event, args);
    }

    /** A view of this socket whose acks time out after {@code timeout}. */
    public TimedEmitter timeout(Duration timeout) {
        return new TimedEmitter(this, Objects.requireNonNull(timeout, "timeout"));
    }

    /**
     * Emits and blocks until the client acks; meant for handler and background threads.
     *
     * @throws AckTimeoutException when no ack came within the timeout or the socket left
     */
    public EventArgs call(String event, Duration timeout, Object... args) {
        return SocketOutbox.await(
                out.emitWithAck(Optional.of(Objects.requireNonNull(timeout, "timeout")), event, args));
    }

    /** Server-to-client acks still awaited; for tests. */
    int pendingAcks() {
        return out.pendingAcks();
    }

    /** A broadcast to every socket of the namespace but this one. */
    public BroadcastOperator broadcast() {
        return new BroadcastOperator(nsp, Set.of(), Set.of(id), BroadcastFlags.DEFAULT);
    }

    /** A broadcast to the rooms, this socket excluded. */
    public BroadcastOperator to(String... rooms) {
        return broadcast().to(rooms);
    }

    /** The same as {@link #to}, as Node's {@code in}. */
    public BroadcastOperator in(String... rooms) {
        return to(rooms);
    }

    /** A broadcast to everyone but the rooms and this socket. */
    public BroadcastOperator except(String... rooms) {
        return broadcast().except(rooms);
    }

    /**
     * Leaves the namespace: the client is told ({@code 41}) and the handlers see
     * {@code server namespace disconnect}. With {@code close}, the whole connection is closed
     * (every namespace of this client).
     */
    public void disconnect(boolean close) {
        DisconnectFlow.disconnect(this, close);
    }

    /** Same as {@code disconnect(false)}. */
    public void disconnect() {
        disconnect(false);
    }

    // ---------------------------------------------------------------- handlers

    /** Handles an event on this socket only. */
    public Socket on(String event, EventHandler handler) {
        ownForRegistering().addEvent(ReservedEvents.check(event), Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /** Handles an event on this socket only; the return value is the ack. */
    public Socket onCall(String event, CallHandler handler) {
        ownForRegistering().addCall(ReservedEvents.check(event), Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /** Handles the event on this socket once, then forgets the handler. */
    public Socket once(String event, EventHandler handler) {
        ownForRegistering().addOnce(ReservedEvents.check(event), Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /** Removes one handler of the event registered on this socket with {@link #on} or {@link #once}. */
    public Socket off(String event, EventHandler handler) {
        own.off(Objects.requireNonNull(event, "event"), Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /**
     * Removes every handler of the event registered on this socket, the {@link #onCall} one
     * included; {@code "disconnect"} and {@code "disconnecting"} remove those handlers.
     */
    public Socket off(String event) {
        own.offAll(Objects.requireNonNull(event, "event"));
        return this;
    }

    /**
     * Removes every event, catch-all and disconnect handler registered on this socket, as Node's
     * {@code removeAllListeners()}; packet middlewares stay.
     */
    public Socket removeAllListeners() {
        own.removeAll();
        return this;
    }

    /** Sees every incoming event, before its handlers. */
    public Socket onAny(AnyHandler handler) {
        ownForRegistering().anyIncoming.add(Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /** Like {@link #onAny}, but runs before the catch-alls registered so far. */
    public Socket prependAny(AnyHandler handler) {
        ownForRegistering().anyIncoming.add(0, Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /** Removes a catch-all registered with {@link #onAny} or {@link #prependAny}. */
    public Socket offAny(AnyHandler handler) {
        own.anyIncoming.remove(Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /** Removes every incoming catch-all of this socket. */
    public Socket offAny() {
        own.anyIncoming.clear();
        return this;
    }

    /** Sees every outgoing event, on the emitting thread. */
    public Socket onAnyOutgoing(AnyHandler handler) {
        ownForRegistering().anyOutgoing.add(Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /** Like {@link #onAnyOutgoing}, but runs before the ones registered so far. */
    public Socket prependAnyOutgoing(AnyHandler handler) {
        ownForRegistering().anyOutgoing.add(0, Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /** Removes an outgoing catch-all. */
    public Socket offAnyOutgoing(AnyHandler handler) {
        own.anyOutgoing.remove(Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /** Removes every outgoing catch-all. */
    public Socket offAnyOutgoing() {
        own.anyOutgoing.clear();
        return this;
    }

    /** Adds a per-packet middleware. */
    public Socket use(PacketMiddleware middleware) {
        ownForRegistering().middlewares.add(Objects.requireNonNull(middleware, "middleware"));
        return this;
    }

    /** Runs when the socket is about to leave, still in its rooms. */
    public Socket onDisconnecting(DisconnectHandler handler) {
        ownForRegistering().disconnecting.add(Objects.requireNonNull(handler, "handler"));
        return this;
    }

    /** Runs when the socket has left. */
    public Socket onDisconnect(DisconnectHandler handler) {
        ownForRegistering().disconnect.add(Objects.requireNonNull(handler, "handler"));
        return this;
    }

    // ---------------------------------------------------------------- internals

    Client client() {
        return client;
    }

    Mailbox mailbox() {
        return mailbox;
    }

    SocketDetails details() {
        return new SocketDetails(id, nsp.name(), handshake, rooms(), data == null ? Map.of() : Map.copyOf(data));
    }

    /** The lifecycle, for the connect flow. */
    SocketLifecycle lifecycle() {
        return life;
    }

    Optional<String> pid() {
        return Optional.ofNullable(pid);
    }

    /** Set by the connect flow once the adapter admitted the socket. */
    void startOffset(Optional<String> offset) {
        this.startOffset = offset;
    }

    Optional<String> startOffset() {
        return startOffset;
    }

    /** The connect flow has run the connect handlers: a close from now on keeps the session at once. */
    void settle() {
        settled = true;
    }

    boolean settled() {
        return settled;
    }

    void disconnectDetails(DisconnectDetails details) {
        this.disconnectDetails = details;
    }

    EventDispatch events() {
        return events;
    }

    /** What recovery would keep of this socket now: empty when recovery is off. */
    Optional<PersistedSession> session() {
        return pid == null
                ? Optional.empty()
                : Optional.of(new PersistedSession(
                        id, pid, rooms(), data == null ? Map.of() : Map.copyOf(data), startOffset));
    }

    /** Completes when this socket has left for good (disconnect handlers run, rooms left). */
    CompletableFuture<Void> gone() {
        return gone;
    }

    void write(List<Message> encoded, BroadcastFlags flags) {
        life.write(encoded, flags.volatileFlag());
    }

    /** Events to the client and the acks in both directions. */
    SocketOutbox outbox() {
        return out;
    }

    SocketHandlers handlers() {
        return own;
    }

    /** A packet for this namespace arrived. Called on the connection's event loop. */
    void onPacket(Packet packet) {
        switch (packet.type()) {
            case EVENT, BINARY_EVENT -> events.onEvent(packet);
            case ACK, BINARY_ACK -> out.onAck(packet);
            case DISCONNECT -> onClose(DisconnectReason.CLIENT_NAMESPACE_DISCONNECT, null);
            default -> log.debug("ignored {} from client, sid={}", packet.type(), id);
        }
    }

    /**
     * Leaves the namespace for good, with what the connection said when it ended (null when it did
     * not end). Any thread; see {@link DisconnectFlow}.
     */
    void onClose(DisconnectReason reason, DisconnectDetails details) {
        DisconnectFlow.close(this, reason, details);
    }

    @Override
    public String toString() {
        return "Socket[" + id + " " + nsp.name() + "]";
    }
}
