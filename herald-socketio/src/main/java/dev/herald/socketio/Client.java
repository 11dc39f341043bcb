package dev.herald.socketio;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.herald.engineio.CloseReason;
import dev.herald.engineio.EngineSocket;
import dev.herald.engineio.EngineSocketListener;
import dev.herald.engineio.HandshakeRequest;
import dev.herald.engineio.Message;
import dev.herald.socketio.handler.UpgradeHandler;
import dev.herald.socketio.internal.LogOnce;
import dev.herald.socketio.internal.SocketIoAccess;
import dev.herald.socketio.parser.MalformedPacketException;
import dev.herald.socketio.parser.Packet;
import dev.herald.socketio.parser.PacketType;
import dev.herald.socketio.parser.Parser;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Engine.IO connection seen by Socket.IO: decodes its packets, multiplexes its namespaces and
 * writes what its sockets emit. As socket.io's {@code Client}.
 *
 * <p>Threading: listener callbacks come on the connection's home event loop and never block;
 * the namespace maps are concurrent because connect and disconnect flows run on virtual threads.
 */
final class Client implements EngineSocketListener {

    private static final Logger log = LoggerFactory.getLogger(Client.class);
    // Malformed input is normal from the internet: one WARN a minute per kind, the rest at DEBUG.
    private static final LogOnce MALFORMED = new LogOnce(log, TimeUnit.MINUTES.toNanos(1));

    private final SocketIoServer server;
    private final EngineSocket engine;
    // Home event loop only.
    private final Parser.Decoder decoder;
    // Any thread reads; written under `this`, each change a new immutable map. A client is almost
    // always in one namespace, and a one-entry immutable map is a tenth of a concurrent one.
    // Connected sockets by namespace name:
    private volatile Map<String, Socket> nsps = Map.of();
    // Sockets whose middlewares are running, by namespace name:
    private volatile Map<String, Socket> connecting = Map.of();
    // Namespaces whose CONNECT waits for the adapter to find the session to resume:
    private volatile Set<String> restoring = Set.of();
    // Set by the constructor; cancelled and dropped on the first namespace connect or on close.
    private volatile ScheduledFuture<?> connectTimer;
    // Any thread: upgrade handlers registered through socket.conn(); null until the first one.
    private volatile List<UpgradeHandler> upgradeHandlers;
    // Home event loop: set before a protocol-error close, to report "parse error".
    private volatile boolean parseError;
    // Socket.IO protocol v4 (JS client 2.x over EIO3): no auth, query in the namespace string,
    // implicit connection to "/", CONNECT replies without payload, string errors.
    private final boolean legacy;

    Client(SocketIoServer server, EngineSocket engine) {
        this.server = server;
        this.engine = engine;
        SocketIoOptions o = server.options();
        this.decoder = o.parser().newDecoder(o);
        this.legacy = engine.protocol() == 3;
        long timeout = server.options().connectTimeout().toNanos();
        this.connectTimer = server.scheduler()
                .schedule(
                        () -> {
                            if (nsps.isEmpty() && connecting.isEmpty()) {
                                log.debug("no namespace joined within connectTimeout, closing sid={}", engine.id());
                                engine.close();
                            }
                        },
                        timeout,
                        TimeUnit.NANOSECONDS);
    }

    EngineSocket engine() {
        return engine;
    }

    /** Whether the client speaks Socket.IO protocol v4 (JS client 2.x, Engine.IO 3). */
    boolean legacy() {
        return legacy;
    }

    /**
     * Called once the listener is installed: a v4 client is in the main namespace from the start,
     * as socket.io 2.x did.
     */
    void start() {
        if (legacy) {
            onPacket(Packet.of(PacketType.CONNECT, "/"));
        }
    }

    boolean isOpen() {
        return engine.isOpen();
    }

    @Override
    public void onMessage(EngineSocket socket, Message message) {
        Observers observers = server.observers();
        if (observers.active()) {
            observers.messageReceived(new Connection(this), message);
        }
        Optional<Packet> packet;
        try {
            packet = decoder.decode(message);
        } catch (MalformedPacketException e) {
            MALFORMED.warn("malformed packet (" + e.getMessage() + "), connection closed", engine.id());
            parseError = true;
            engine.close();
            return;
        }
        packet.ifPresent(this::onPacket);
    }

    private void onPacket(Packet packet) {
        if (log.isTraceEnabled()) {
            log.trace("packet {} sid={}", packet, engine.id());
        }
        if (server.closing()) {
            // The sockets were disconnected by the shutdown; the transport closes after the grace.
            log.debug("{} during shutdown ignored, sid={}", packet.type(), engine.id());
            return;
        }
        String nspName = packet.nsp();
        if (legacy) {
            // v4 clients put their query in the namespace: "/chat?token=abc".
            int q = nspName.indexOf('?');
            if (q >= 0) {
                nspName = nspName.substring(0, q);
                packet = new Packet(packet.type(), nspName, packet.data(), packet.id());
            }
        }
        Socket socket = nsps.get(nspName);
        if (packet.type() == PacketType.CONNECT) {
            if (socket != null || connecting.containsKey(nspName) || restoring.contains(nspName)) {
                log.debug("duplicate connect to {} ignored, sid={}", nspName, engine.id());
                return;
            }
            JsonNode auth = packet.hasData() && !legacy ? packet.data() : JsonNodeFactory.instance.objectNode();
            Optional<Namespace> nsp = server.enterNamespace(nspName, auth);
            if (nsp.isEmpty()) {
                writePacket(new Packet(
                        PacketType.CONNECT_ERROR,
                        nspName,
                        legacy
                                ? JsonNodeFactory.instance.textNode("Invalid namespace")
                                : JsonNodeFactory.instance.objectNode().put("message", "Invalid namespace")));
                return;
            }
            nsp.get().add(this, auth);
        } else if (socket != null) {
            socket.onPacket(packet);
        } else {
            // As the reference: a packet for a namespace the client has not joined is a protocol error.
            MALFORMED.warn(packet.type() + " for a namespace not joined, connection closed", engine.id());
            parseError = true;
            engine.close();
        }
    }

    @Override
    public void onUpgrade(EngineSocket socket, String transport) {
        List<UpgradeHandler> handlers = upgradeHandlers;
        if (handlers == null) {
            return;
        }
        server.threads().async(() -> {
            for (UpgradeHandler h : handlers) {
                try {
                    h.handle(transport);
                } catch (Exception e) {
                    log.warn("upgrade handler failed, sid={}", engine.id(), e);
                }
            }
        });
    }

    synchronized void onUpgrade(UpgradeHandler handler) {
        if (upgradeHandlers == null) {
            upgradeHandlers = new CopyOnWriteArrayList<>();
        }
        upgradeHandlers.add(handler);
    }

    @Override
    public void onClose(EngineSocket socket, CloseReason reason, String description) {
        cancelConnectTimer();
        decoder.reset();
        Observers observers = server.observers();
        if (observers.active()) {
            observers.connectionClosed(new Connection(this), reason.wire());
        }
        DisconnectReason why = parseError ? DisconnectReason.PARSE_ERROR : DisconnectReason.of(reason);
        DisconnectDetails details = new DisconnectDetails(reason.wire(), description == null ? "" : description);
        for (Socket s : List.copyOf(connecting.values())) {
            s.onClose(why, details);
        }
        for (Socket s : List.copyOf(nsps.values())) {
            s.onClose(why, details);
        }
        server.clientClosed(this);
    }

    // ---------------------------------------------------------------- namespace bookkeeping

    synchronized void connecting(String nsp, Socket socket) {
        connecting = with(connecting, nsp, socket);
    }

    void connected(String nsp, Socket socket) {
        synchronized (this) {
            nsps = with(nsps, nsp, socket);
            connecting = without(connecting, nsp, socket);
        }
        cancelConnectTimer();
    }

    /** A CONNECT to {@code nsp} waits for (or no longer waits for) a session restore. */
    synchronized void restoring(String nsp, boolean waiting) {
        Set<String> copy = new HashSet<>(restoring);
        if (waiting) {
            copy.add(nsp);
        } else {
            copy.remove(nsp);
        }
        restoring = Set.copyOf(copy);
    }

    synchronized void remove(Socket socket) {
        String nsp = socket.namespace().name();
        nsps = without(nsps, nsp, socket);
        connecting = without(connecting, nsp, socket);
    }

    private static Map<String, Socket> with(Map<String, Socket> map, String nsp, Socket socket) {
        Map<String, Socket> copy = new HashMap<>(map);
        copy.put(nsp, socket);
        return Map.copyOf(copy);
    }

    private static Map<String, Socket> without(Map<String, Socket> map, String nsp, Socket socket) {
        if (map.get(nsp) != socket) {
            return map;
        }
        Map<String, Socket> copy = new HashMap<>(map);
        copy.remove(nsp);
        return Map.copyOf(copy);
    }

    private void cancelConnectTimer() {
        ScheduledFuture<?> timer = connectTimer;
        if (timer != null) {
            timer.cancel(false);
            // The cancelled task would otherwise stay reachable for the life of the connection.
            connectTimer = null;
        }
    }

    /** A socket's client sends events faster than its handlers finish: close the connection. */
    void overloaded(Socket socket) {
        MALFORMED.warn("more than maxPendingEvents events waiting for handlers, connection closed", engine.id());
        Observers observers = server.observers();
        if (observers.active()) {
            observers.pendingEventsExceeded(socket);
        }
        engine.close();
    }

    /** Every namespace is left ({@code server namespace disconnect}), then the connection closes. */
    void disconnectAllAndClose() {
        for (Socket s : List.copyOf(nsps.values())) {
            s.disconnect(false);
        }
        engine.close();
    }

    /** Shutdown, first step: every socket (connecting ones too) leaves with that reason. */
    void disconnectSockets(DisconnectReason reason) {
        cancelConnectTimer();
        for (Socket s : List.copyOf(connecting.values())) {
            s.onClose(reason, null);
        }
        for (Socket s : List.copyOf(nsps.values())) {
            s.onClose(reason, null);
        }
    }

    /** Shutdown, last step: the connection closes. */
    void closeEngine() {
        engine.close();
    }

    Handshake handshake(JsonNode auth) {
        HandshakeRequest r = engine.request();
        return new Handshake(r.headers(), r.query(), auth, address(), r.time(), r.url(), r.secure());
    }

    /** The client's IP address as text; empty when the transport does not know it. */
    String address() {
        InetSocketAddress remote = engine.request().remoteAddress();
        return remote == null
                ? ""
                : remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
    }

    // ---------------------------------------------------------------- writing

    /** Encodes and writes one packet. Any thread. */
    void writePacket(Packet packet) {
        write(server.options().parser().encode(packet), false);
    }

    /** Encodes and writes one packet with the {@code compress} flag of {@code socket.compress(false)}. Any thread. */
    void writePacket(Packet packet, boolean compress) {
        write(SocketIoAccess.compressed(server.options().parser().encode(packet), compress), false);
    }

    /**
     * Writes already-encoded messages (shared by every recipient of a broadcast). A binary packet
     * goes as one contiguous run so no other packet slips between it and its attachments.
     */
    void write(List<Message> messages, boolean volatileFlag) {
        if (!engine.isOpen()) {
            return;
        }
        Observers observers = server.observers();
        if (observers.active()) {
            observers.messagesSent(new Connection(this), messages);
        }
        if (volatileFlag) {
            // The engine drops it if this client is not keeping up (slow-consumer policy).
            if (messages.size() == 1) {
                engine.sendVolatile(messages.get(0));
            } else {
                engine.sendVolatile(messages);
            }
        } else if (messages.size() == 1) {
            engine.send(messages.get(0));
        } else {
            engine.send(messages);
        }
    }
}
